// SPDX-License-Identifier: MIT
// The KMS output's gl path: the source's buffer composed by GLES (viewer/render) into
// mode-sized GBM scanout buffers – scaled and filtered as asked, imported as an EGLImage
// where that is proven to work, else only its damaged rectangles uploaded. Only what the
// back buffer lacks is redrawn (EGL_EXT_buffer_age); the caller flips to the result and
// signals this frame's screen damage to KMS.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <vector>

#include "outputs/kms/egl_gbm.h"
#include "outputs/kms/gbm_surface.h"
#include "render/cursor_layer.h"
#include "render/gles_renderer.h"
#include "render/hud_layer.h"
#include "render/tile_compositor.h"
#include "udmaview/output.h"

namespace udmaview::kms {

// What one composition made.
struct ComposedFrame {
    uint32_t fb_id = 0; // 0: nothing changed on screen, nothing to flip
    uint32_t pitch = 0; // of fb_id's buffer
    Region damage;      // screen pixels that differ from the previous frame
    bool whole = false; // the whole screen was drawn (first frame, new view)
};

class GlComposer {
public:
    // GBM and EGL on dev (which must outlive this) with scanout buffers of width × height.
    // hud: the --hud overlay is shown from the first frame. tiles > 1: that many sources
    // share the screen in tiles (Frame::source).
    static Result<std::unique_ptr<GlComposer>> create(const DrmDevice& dev, uint32_t width,
                                                      uint32_t height, RendererOptions options,
                                                      bool hud, uint32_t tiles = 1);
    ~GlComposer();
    GlComposer(const GlComposer&) = delete;
    GlComposer& operator=(const GlComposer&) = delete;

    using Composed = ComposedFrame;
    // Brings the frame's texture up to date (counting imports and uploaded bytes in stats);
    // its damage waits for the next compose(). Several sources: one frame of each, then
    // one compose() for all of them.
    Status update(const Frame& frame, SubmitStats& stats);
    // Redraws what the back buffer lacks, swaps and locks the new front buffer. whole: the
    // screen shows none of ours (modeset): everything is damage.
    Result<Composed> compose(bool whole);
    // update() and compose() of one frame.
    Result<Composed> compose(const Frame& frame, bool whole, SubmitStats& stats);
    // The modeset or flip to fb_id is done at presented_ns: the buffer shown before goes
    // back to EGL, and the overlay (if any) learns its frames' numbers (hud_frame()).
    void shown(uint32_t fb_id, uint64_t presented_ns);
    // The buffer composed last shows a new source frame made at produced_ns that cost stats
    // (with several sources, called for each frame of the round): the overlay shows their
    // numbers once it is on screen.
    void hud_frame(const PendingFrame& frame);
    // Shows or hides the overlay (made on first use); its rect is damage of the next compose.
    Status toggle_hud();
    bool hud_visible() const { return hud_ && hud_->visible(); }
    std::vector<std::pair<std::string, uint64_t>> hud_counters() const;
    // The guest pointer's new state: drawn over the picture from the next compose on (its old
    // and new rects are damage of that compose).
    Status set_cursor(const CursorState& state);
    // The flip to fb_id was not queued: its buffer goes back to EGL.
    void dropped(uint32_t fb_id);
    void retire(BufferId id);
    // The import was proven to work: buffers are imported from their next frame on.
    void enable_import();
    // The screen the scanout buffers cover.
    Rect size() const { return {0, 0, int32_t(width_), int32_t(height_)}; }
    // Where the picture lands on the screen (may reach outside it when cropped).
    Rect viewport() const;
    bool importing() const { return renderer_->current_path() == "dma-buf import"; }
    std::string describe() const;
    // GL_RENDERER: a CPU rasterizer makes auto take the cpu path.
    const std::string& gl_renderer() const { return renderer_->gl_renderer(); }
    // Several sources: focus, layout and ended tiles (nullptr with one source).
    TileCompositor* tiles() { return tiles_.get(); }
    const TileCompositor* tiles() const { return tiles_.get(); }

private:
    struct Locked {
        gbm_bo* bo = nullptr;
        uint32_t fb_id = 0;
    };
    GlComposer() = default;
    Region redraw_region(const Region& damage, bool whole);
    Rect cursor_rect() const;

    // Declaration order is teardown order reversed: the renderer (GL objects) goes while
    // the context is current, then EGL, the surface with its buffers and framebuffers, GBM.
    std::unique_ptr<GbmDevice> gbm_;
    std::unique_ptr<GbmScanoutSurface> surface_;
    std::unique_ptr<EglGbm> egl_;
    std::unique_ptr<GlesRenderer> renderer_;
    std::unique_ptr<HudLayer> hud_;
    std::unique_ptr<CursorLayer> cursor_;
    std::unique_ptr<TileCompositor> tiles_;
    bool linear_ = false; // --filter, for the pointer too
    // Screen pixels the overlay or the pointer changed since the last compose.
    Region hud_damage_;
    // The frames of the buffer composed last (framebuffer hud_pending_fb_), for the overlay.
    std::vector<PendingFrame> hud_pending_;
    uint32_t hud_pending_fb_ = 0;
    uint32_t width_ = 0, height_ = 0;
    Locked screen_, queued_;
    // Screen damage of the last frames, newest first: what a back buffer age N swaps old
    // lacks is the union of the newest N - 1 of these and this frame's damage.
    std::deque<Region> history_;
};

} // namespace udmaview::kms
