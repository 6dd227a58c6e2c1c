// SPDX-License-Identifier: MIT
#pragma once

#include <pixman.h>

#include <map>
#include <memory>

#include "render/renderer.h"
#include "udmaview/mapping.h"

namespace udmaview {

// Owns one pixman image reference.
struct PixmanImageDeleter {
    void operator()(pixman_image_t* image) const { pixman_image_unref(image); }
};
using PixmanImage = std::unique_ptr<pixman_image_t, PixmanImageDeleter>;

// The CPU renderer: pixman reads each buffer through its CPU mapping (made once per
// BufferId, read between DMA_BUF_SYNC brackets) and converts, scales (nearest or bilinear)
// and composites the scene into a RenderTarget. Nearest picks, like the GL path's shader,
// the source pixel under each target pixel's centre, u = (d + 0.5) · src_w / dst_w, a centre
// on a pixel edge taking the pixel before it: x = ceil(u) - 1 (rows of a bottom-up buffer
// counted from the bottom), exactly; pixman's 16.16 transform is re-anchored every few
// pixels (exact_span) so its rounding never moves a sample.
class PixmanRenderer final : public Renderer {
public:
    // A target pixman cannot write is refused with its reason.
    static Result<std::unique_ptr<PixmanRenderer>> create(const RenderTarget& target);
    ~PixmanRenderer() override;

    // A new target (another dumb buffer, a new window surface); the next draw must cover
    // what it lacks.
    Status set_target(const RenderTarget& target);
    const RenderTarget& target() const { return target_; }

    RendererKind kind() const override { return RendererKind::Pixman; }
    Status update(const Frame& frame, SubmitStats& stats) override;
    Status draw(const Scene& scene, const Region& rects) override;
    void retire(BufferId id) override;
    size_t cached_buffers() const { return entries_.size(); }

    // Target pixels along one axis that one pixman transform may cover before its 16.16
    // rounding could move a nearest sample: scaling src → dst pixels.
    static int32_t exact_span(uint32_t src, int32_t dst);

private:
    struct Entry {
        std::shared_ptr<const Buffer> buffer; // kept while mapped: the mapping reads it
        Mapping mapping;
        PixmanImage image;
    };
    PixmanRenderer() = default;
    void draw_picture(const Scene& scene, size_t tile, const Entry& entry,
                      const pixman_region32_t& clip);
    void draw_overlays(const Scene& scene, const pixman_region32_t& clip);
    void composite_scaled(pixman_image_t* src, uint32_t src_w, uint32_t src_h, bool flip,
                          const Rect& quad, const Rect& visible, pixman_op_t op, bool linear);

    RenderTarget target_;
    PixmanImage dst_;
    std::map<BufferId, Entry> entries_;
    // The hud (over the canvas's own pixels) and the pointer as premultiplied images.
    PixmanImage hud_, pointer_;
    std::vector<uint32_t> pointer_pixels_;
    std::shared_ptr<const CursorImage> pointer_made_;
};

} // namespace udmaview
