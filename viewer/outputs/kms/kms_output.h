// SPDX-License-Identifier: MIT
// The KMS output: full screen on a bare TTY. It wires three parts together: the console
// (kms_console.h: seat or VT, keyboards, switches), the display (kms_display.h: the card,
// the mode, the one present rule) and the scan-out routes (scanout_route.h: the plane scans
// out the source's dma-buf; where the driver refuses the import, the format or the placement,
// GLES or pixman compose the frame). The path choice is path_choice.h.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "outputs/kms/kms_console.h"
#include "outputs/kms/kms_display.h"
#include "outputs/kms/kms_options.h"
#include "outputs/kms/scanout_routes.h"
#include "udmaview/cursor.h"
#include "udmaview/output.h"

namespace udmaview::kms {

class KmsOutput : public Output {
public:
    explicit KmsOutput(KmsOptions options);
    ~KmsOutput() override;
    KmsOutput(const KmsOutput&) = delete;
    KmsOutput& operator=(const KmsOutput&) = delete;

    std::string name() const override { return "kms"; }
    Status start() override;
    void stop() override;
    int poll_fd() const override { return console_.poll_fd(); }
    void dispatch(OutputSink& sink) override;
    bool busy() const override { return display_ && display_->busy(); }
    // A pointer change waiting for an idle screen is shown from dispatch(): polled meanwhile
    // (a flip in flight wakes dispatch() anyway; switched away, the redraw takes it).
    uint64_t dispatch_interval_ns() const override {
        return cursor_changed_ && console_.active() && !busy() ? 4'000'000 : 0;
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

    // For tests: the display (clips signalled, quirks, placement) while started, and the
    // card's driver, kept after stop().
    const KmsDisplay* display() const { return display_.get(); }
    const std::string& driver() const { return driver_; }
    // Blocks until the commit in flight (if any) is done, at most timeout_ms.
    void wait_idle(OutputSink* sink, int timeout_ms);

private:
    // What the display and route are set up for: a source size and format (0 and null with
    // several sources: one configuration for every source's frames), the path and the mode's
    // size.
    struct Configured {
        uint32_t width = 0, height = 0;
        const Format* format = nullptr;
        ScanoutPath path = ScanoutPath::Cpu;
        uint32_t mode_width = 0, mode_height = 0;
        bool operator==(const Configured&) const = default;
    };
    // The console's events (kms_output_console.cpp): switched away (VT or seat): stop
    // drawing, drop master; back: master, modeset, redraw; the output's chords.
    class ConsoleSink;

    // The path and mode frame needs, set up when they changed (kms_output_frames.cpp).
    Status configure(const Frame& frame);
    // Brings the route's picture of frame up to date, choosing again after a refusal. False:
    // switched away, the frame is skipped (the redraw shows it when back).
    Result<bool> take(const Frame& frame, SubmitStats& stats);
    // take(), then frames (the frame's, or none for a redraw) shown by the present rule.
    Status show(const Frame& frame, std::vector<PendingFrame> frames, SubmitStats& stats,
                OutputSink& sink);
    // What the route made for frames, presented; false: the route refused, choose again.
    Result<bool> present(const std::vector<PendingFrame>& frames, SubmitStats& stats,
                         OutputSink& sink);
    Scanout::FlipDone flip_done(OutputSink* sink);
    // The last frame again: whole (after a switch back or on a new mode) or only what the
    // routes know changed (overlay, pointer, tiles), when no flip is in flight. True: shown.
    bool redraw(OutputSink& sink, bool whole);
    // Tells the presenter the size each source has on the mode (the mode's, or its tile's),
    // with the screen's millimetres.
    void send_wanted_sizes(OutputSink& sink);
    // Shows the pointer's change when the output is idle (the next frame takes it otherwise).
    void show_cursor(OutputSink& sink);

    KmsOptions options_;
    std::optional<ModeRequest> mode_request_;
    KmsConsole console_;                  // its seat outlives the devices it handed out
    std::unique_ptr<KmsDisplay> display_; // the routes' buffers refer to it: they go first
    std::string driver_;
    ScanoutRoutes routes_;
    Configured configured_;
    bool started_ = false;
    bool size_wanted_ = false;     // a new mode or tile layout: send_wanted_sizes() is due
    bool guest_kept_size_ = false; // follow_guest_size, and the guest did not take the mode's

    // Several sources: the frames of the presenter's round updated in their tiles and not
    // shown yet, at most one per source.
    std::vector<PendingFrame> round_;
    bool cursor_changed_ = false; // a pointer change no route took yet
    uint64_t switch_redraws_ = 0; // frames redrawn whole after a switch back
};

} // namespace udmaview::kms
