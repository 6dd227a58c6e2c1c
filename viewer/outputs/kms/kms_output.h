// SPDX-License-Identifier: MIT
// The KMS output: a full-screen plane on a bare TTY, scanning out the source's dma-buf.
//
// Per BufferId the dma-buf is imported once (PRIME → GEM handle → framebuffer) and cached;
// afterwards a frame is only a page flip (new buffer) or damage (same buffer: FB_DAMAGE_CLIPS
// on the commit, or drmModeDirtyFB where the plane has no such property). Where the driver
// refuses the import, the format or the placement, the frame is composed: by GLES into GBM
// scanout buffers (the gl path, kms_output_gl.cpp) or by pixman into two dumb buffers (the
// cpu path, pixman_dumb_path.h), scaled as asked, only the damaged pixels.
#pragma once

#include <array>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <xf86drmMode.h>

#include "outputs/kms/drm_objects.h"
#include "outputs/kms/evdev_keyboard.h"
#include "outputs/kms/fb_cache.h"
#include "outputs/kms/kms_options.h"
#include "outputs/kms/kms_quirks.h"
#include "outputs/kms/kms_resources.h"
#include "outputs/kms/path_choice.h"
#include "outputs/kms/pixman_dumb_path.h"
#include "outputs/kms/saved_crtc.h"
#include "outputs/kms/scanout.h"
#include "outputs/kms/vt_console.h"
#include "render/scene_hud.h"
#include "udmaview/cursor.h"
#include "udmaview/output.h"
#include "udmaview/placement.h"
#include "udmaview_config.h"
#if UDMAVIEW_HAVE_LIBSEAT
#include "outputs/kms/seat.h"
#endif

namespace udmaview::kms {

class GlComposer; // gl_composer.h, where the gl path is built
struct ComposedFrame;
struct GlComposerDeleter {
    void operator()(GlComposer* composer) const;
};

class KmsOutput : public Output {
public:
    explicit KmsOutput(KmsOptions options);
    ~KmsOutput() override;

    std::string name() const override { return "kms"; }
    Status start() override;
    void stop() override;
    int poll_fd() const override { return epoll_.get(); }
    void dispatch(OutputSink& sink) override;
    bool busy() const override { return scanout_ && scanout_->busy(); }
    // A pointer change waiting for an idle screen is shown from dispatch(): polled meanwhile
    // (a flip in flight wakes dispatch() anyway; switched away, the redraw takes it).
    uint64_t dispatch_interval_ns() const override {
        return cursor_changed_ && vt_active_ && !busy() ? 4'000'000 : 0;
    }
    // The guest pointer, drawn over the picture on the gl and cpu paths (the plane shows none).
    void set_cursor(const CursorState& cursor) override;
    // One source: shows the frame (a modeset, a page flip, damage). Several sources (gl and
    // cpu paths): only updates the frame's tile; flush() shows the presenter's round with one
    // flip, which reports every frame of the round presented.
    Status submit(const Frame& frame, SubmitStats& stats, OutputSink& sink) override;
    void flush(OutputSink& sink) override;
    void retire(BufferId id) override;
    // For the timing report: the redraws after the display came back (VT or seat switch),
    // the cpu path's pixels drawn, then what the --hud overlay cost.
    std::vector<std::pair<std::string, uint64_t>> counters() const override;
    // Several sources: the focused tile's, and "ended" on a tile.
    uint32_t input_source() const override;
    void source_ended(uint32_t source) override;
    // The guest kept its size (--guest-size follow): the mode of the picture's size, if any.
    void size_refused(uint32_t source, const WantedSize& size, OutputSink& sink) override;

    // For tests and --verbose.
    std::optional<ScanoutPath> path() const { return path_; }
    const std::string& driver() const { return driver_; }
    // The clips signalled for the last frame (FB_DAMAGE_CLIPS or DirtyFB), in framebuffer
    // pixels; empty for a full update (modeset, flip without clips).
    const Region& last_clips() const { return last_clips_; }
    // The driver quirks in effect (driver and running kernel), known after start().
    const DriverQuirks& quirks() const { return quirks_; }
    uint64_t total_imports() const { return total_imports_; }
    size_t cached_framebuffers() const { return fbs_.size(); }
    const Placement& placement() const { return placement_; }
    // Blocks until the commit in flight (if any) is done, at most timeout_ms.
    void wait_idle(OutputSink* sink, int timeout_ms);

private:
    struct Configured {
        uint32_t width = 0, height = 0; // source size
        const Format* format = nullptr;
        std::optional<ScanoutPath> path;
        bool operator==(const Configured&) const = default;
    };
    // Why a frame is shown: a new frame is reported presented; a redraw (after a VT switch
    // back) shows the last frame again, which was reported already.
    enum class Origin { NewFrame, Redraw };

    // The seat from seatd or logind when one serves us (kms_output_seat.cpp).
    Status open_seat();
    DeviceOpener opener();
    // The seat manager's messages (enable, disable, the end of the session).
    void dispatch_seat(OutputSink& sink);
    bool is_seat_fd(int fd) const;
    Status open_device();
    // The VT, keyboards and epoll fd (kms_output_console.cpp).
    Status open_console();
    void watch_keyboards();
    void close_keyboards();
    Status configure(const Frame& frame);
    // The configuration a frame of layout l needs (with several sources: the same for all).
    Configured wanted(const Layout& l) const;
    void choose_path(const Buffer& buffer);
    // Where a frame goes when the plane cannot take it: GL (auto, gl) or the copy.
    // What the path choice knows before a frame (the options, the card, what was refused).
    PathInputs path_inputs() const;
    ScanoutPath fallback() const;
    // " composing it with GL" or " copying damaged regions": the end of a fallback line.
    std::string fallback_note() const;
    void announce(const std::string& key, const std::string& message);
    Status show(const Frame& frame, Origin origin, SubmitStats& stats, OutputSink& sink);
    // Brings the path and layout up to date for frame; false: switched away, skip it.
    Result<bool> configure_for(const Frame& frame, SubmitStats& stats);
    Status show_import(const Frame& frame, Origin origin, SubmitStats& stats, OutputSink& sink);
    // The cpu path (kms_output_cpu.cpp): pixman draws the scene into dumb buffers.
    Status show_cpu(const Frame& frame, Origin origin, SubmitStats& stats, OutputSink& sink);
    // Draws frame's change into the back buffer; present_cpu() shows it (carrying frames).
    struct RoundFrame;
    Status draw_cpu(const Frame& frame, SubmitStats& stats);
    Status present_cpu(std::vector<RoundFrame> frames, OutputSink& sink);
    // Hands a changed guest pointer and the --hud overlay to the cpu path's scene.
    void take_overlays();
    // The flip to dumb buffer index (-1: a modeset) is done: the overlay learns its frames.
    void cpu_shown(int index, uint64_t presented_ns);
    void toggle_cpu_hud();
    void clear_cpu();
    std::vector<std::pair<std::string, uint64_t>> cpu_counters() const;
    // The gl path (kms_output_gl.cpp); starts GBM and EGL on first use.
    Status show_gl(const Frame& frame, Origin origin, SubmitStats& stats, OutputSink& sink);
    Status start_gl(const Frame& frame);
    // Starts GBM and EGL if needed (no error and no composer: they cannot start and
    // configure() chose another path), takes the import verdict and the pointer's change.
    Status prepare_gl(const Frame& frame);
    // Puts what the composer made on screen (l: the picture's layout): a modeset or a page
    // flip carrying seqs, which are reported presented once it is done.
    Status present_gl(const ComposedFrame& c, const Layout& l, std::vector<uint64_t> seqs,
                      OutputSink& sink);
    // Several sources (kms_output_round.cpp): the frame's tile is updated (drawn, on the cpu
    // path) and the frame joins the round that flush() shows.
    Status join_round(const Frame& frame, SubmitStats& stats, OutputSink& sink);
    Status join_gl_round(const Frame& frame, SubmitStats& stats);
    Status show_round(OutputSink& sink);
    Status show_gl_round(OutputSink& sink);
    // The composer of another mode or path leaves (it stays until the next modeset).
    void retire_stale_gl();
    void gl_shown(uint32_t fb_id, uint64_t presented_ns);
    // Ctrl+Alt+H: shows or hides the --hud overlay (gl and cpu paths), redrawing just its
    // rect (kms_output_overlays.cpp).
    void toggle_hud(OutputSink& sink);
    Status toggle_gl_hud();
    // Shows the pointer's change when the output is idle (the next frame takes it otherwise).
    void show_cursor(OutputSink& sink);
    // Redraws what changed over the last frame (overlay, pointer) when no flip is in flight.
    void redraw_overlays(OutputSink& sink);
    std::vector<std::pair<std::string, uint64_t>> gl_counters() const;
    // Several sources: Ctrl+Alt+Left/Right/L (kms_output_tiles.cpp), then the screen redrawn.
    void tile_key(KeyAction action, OutputSink& sink);
    // The gl path's tiles: false where there are none.
    bool gl_tile_key(KeyAction action);
    uint32_t gl_focus() const;
    void gl_source_ended(uint32_t source);
    void redraw_tiles(OutputSink* sink);
    // Tells the presenter the size each source has on the mode (the mode's, or its tile's),
    // with the screen's millimetres.
    void send_wanted_sizes(OutputSink& sink);
    // Takes the import probe's verdict once it is there (one line when the import is off).
    void poll_gl_import();
    void gl_retire(BufferId id);
    // The placement the plane takes for the source, or nullopt when it takes none.
    std::optional<Placement> test_placement(uint32_t fb_id, const Layout& layout);
    // The seqs to report presented: the frame's, none for a redraw.
    static std::vector<uint64_t> report_seqs(const Frame& frame, Origin origin);
    void presented(const Frame& frame, Origin origin, OutputSink& sink) const;
    Scanout::FlipDone flip_done(OutputSink* sink);
    DumbTarget dumb_target() const { return {*dev_, pipe_.plane, mode_, quirks_}; }
    // Switched away (VT or seat): stop drawing, drop master; back: master, modeset, redraw.
    void release_display(OutputSink& sink, const std::string& where);
    void acquire_display(OutputSink& sink, const std::string& where);
    void redraw(OutputSink& sink);

    KmsOptions options_;
    std::optional<ModeRequest> mode_request_;
#if UDMAVIEW_HAVE_LIBSEAT
    std::unique_ptr<Seat> seat_; // outlives the devices it handed out
    bool seat_lost_ = false;     // the manager ended the session: nothing more to read
#endif
    std::unique_ptr<DrmDevice> dev_; // everything below that refers to it goes first
    std::string driver_;
    DriverQuirks quirks_;
    Pipeline pipe_;
    SavedCrtc saved_crtc_;
    std::unique_ptr<Scanout> scanout_;

    std::unique_ptr<VtConsole> vt_;
    EvdevKeyboards keyboards_;
    KeyChords chords_;
    UniqueFd epoll_;
    bool vt_active_ = true;
    bool started_ = false;

    // Current configuration.
    Configured configured_;
    drmModeModeInfo mode_{};
    Placement placement_;
    bool needs_modeset_ = true;
    bool size_wanted_ = false;     // a new mode or tile layout: send_wanted_sizes() is due
    bool guest_kept_size_ = false; // follow_guest_size, and the guest did not take the mode's
    std::optional<ScanoutPath> path_;
    std::string import_refused_; // why the import path is off ("" : allowed)
    // A source size the plane cannot show directly on a mode (width, height, mode width,
    // mode height; placement refused by the test commit).
    std::optional<std::array<uint32_t, 4>> no_direct_;

    FramebufferCache fbs_;
    PixmanDumbPath cpu_;
    std::unique_ptr<SceneHud> cpu_hud_; // the cpu path's --hud overlay, once shown
    std::unique_ptr<GlComposer, GlComposerDeleter> gl_;
    // The composer of the previous mode, on screen until the next modeset.
    std::unique_ptr<GlComposer, GlComposerDeleter> retired_gl_;
    std::string gl_refused_;  // why GBM/EGL cannot start ("" : not tried, or running)
    std::string gl_software_; // GL_RENDERER, a CPU rasterizer auto does not use ("" : not seen)
    std::optional<bool> gl_import_usable_; // the import probe's verdict, once per output
    int gl_import_signal_ = 0;             // the signal that ended the probe, for the report

    std::optional<Frame> last_frame_; // for redraws after a VT switch back
    // Several sources: the frames of the presenter's round updated in their tiles and not
    // shown yet, at most one per source.
    struct RoundFrame {
        uint64_t seq = 0, produced_ns = 0;
        SubmitStats stats; // for the --hud overlay
    };
    std::vector<RoundFrame> round_;
    std::vector<RoundFrame> cpu_hud_frames_; // on the cpu path's flip in flight, for the hud
    bool hud_visible_ = false;               // the overlay's state, kept when the gl path restarts
    CursorState cursor_;                     // the guest pointer, for the gl and cpu paths
    bool cursor_changed_ = false;            // not yet handed to the composer
    Region last_clips_;
    uint64_t total_imports_ = 0;
    uint64_t switch_redraws_ = 0; // frames redrawn whole after a switch back
    std::set<std::string> announced_;
};

} // namespace udmaview::kms
