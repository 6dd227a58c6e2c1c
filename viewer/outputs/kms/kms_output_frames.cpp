// SPDX-License-Identifier: MIT
// KmsOutput's frames: the path chosen for each (path_choice.h), the display and route set up
// when that or the source's size changes, the route's picture brought up to date, and the
// display's one present rule showing it. With several sources submit() only updates the
// frame's tile and flush() shows the presenter's round with one flip, whose event reports
// every frame of it presented: flipping per frame would give each of N busy sources 1/N of
// the refresh rate and N frames of latency.
#include <cerrno>
#include <iostream>
#include <xf86drm.h>

#include "outputs/kms/kms_output.h"
#include "outputs/kms/tile_sizes.h"
#include "udmaview/clock.h"

namespace udmaview::kms {

namespace {

// A refusal leaves a path for good; there are three.
constexpr int max_choices = 3;

} // namespace

Status KmsOutput::configure(const Frame& frame) {
    const Layout& l = frame.buffer->layout();
    const auto [want_w, want_h] = mode_target(
        options_.sources, options_.follow_guest_size && !guest_kept_size_, l.width, l.height);
    Result<drmModeModeInfo> mode = display_->mode_for(want_w, want_h);
    if (!mode)
        return mode.error();
    const ScanoutPath path = routes_.choose(*display_, *frame.buffer, *mode);
    // Tiles: one configuration for every source's frames.
    const bool tiles = options_.sources > 1;
    const Configured wanted{
        tiles ? 0 : l.width, tiles ? 0 : l.height, tiles ? nullptr : l.format, path,
        mode->hdisplay,      mode->vdisplay};
    if (routes_.current() && wanted == configured_)
        return {};
    if (Status s = display_->set_mode(*mode); !s)
        return s;
    configured_ = wanted;
    routes_.use(path, *display_);
    size_wanted_ = true;
    if (options_.verbose)
        std::cerr << "kms: source " << l.to_string() << " on mode " << mode_string(display_->mode())
                  << "\n";
    return {};
}

Result<bool> KmsOutput::take(const Frame& frame, SubmitStats& stats) {
    if (!console_.active()) { // switched away: the frame is shown when the VT comes back
        stats.path = "vt-inactive";
        return false;
    }
    for (int i = 0; i < max_choices; ++i) {
        if (Status s = configure(frame); !s)
            return s.error();
        ScanoutRoute& route = *routes_.current();
        Result<bool> taken = route.update(*display_, frame, stats);
        if (!taken)
            return taken.error();
        if (*taken) {
            if (route.path() != ScanoutPath::Plane)
                cursor_changed_ = false; // the composing route took the pointer
            return true;
        }
    }
    return Error{"kms: no scan-out path can show frame " + std::to_string(frame.seq) +
                     "; try --kms-path cpu",
                 ENOTSUP};
}

Status KmsOutput::submit(const Frame& frame, SubmitStats& stats, OutputSink& sink) {
    if (!display_)
        return Error{"kms: submit before start", EINVAL};
    Status shown;
    if (options_.sources > 1) {
        Result<bool> taken = take(frame, stats);
        if (taken && *taken)
            round_.push_back({frame.seq, frame.produced_ns, stats});
        shown = taken ? Status{} : Status{taken.error()};
    } else {
        shown = show(frame, {{frame.seq, frame.produced_ns, {}}}, stats, sink);
    }
    if (shown && size_wanted_)
        send_wanted_sizes(sink);
    return shown;
}

void KmsOutput::flush(OutputSink& sink) {
    if (round_.empty())
        return;
    if (console_.active() && routes_.current()) {
        SubmitStats stats;
        Result<bool> shown = present(round_, stats, sink);
        if (!shown)
            sink.on_output_error(shown.error());
    }
    round_.clear();
}

Status KmsOutput::show(const Frame& frame, std::vector<PendingFrame> frames, SubmitStats& stats,
                       OutputSink& sink) {
    for (int i = 0; i < max_choices; ++i) {
        Result<bool> taken = take(frame, stats);
        if (!taken || !*taken)
            return taken ? Status{} : Status{taken.error()};
        for (PendingFrame& f : frames)
            f.stats = stats; // for the --hud overlay
        Result<bool> shown = present(frames, stats, sink);
        if (!shown || *shown)
            return shown ? Status{} : Status{shown.error()};
    }
    return Error{"kms: no scan-out path can show frame " + std::to_string(frame.seq) +
                     "; try --kms-path cpu",
                 ENOTSUP};
}

Result<bool> KmsOutput::present(const std::vector<PendingFrame>& frames, SubmitStats& stats,
                                OutputSink& sink) {
    ScanoutRoute& route = *routes_.current();
    Shown shown;
    Result<bool> prepared = route.prepare(*display_, frames, shown);
    if (!prepared || !*prepared)
        return prepared;
    stats.submitted_ns = stats.submitted_ns ? stats.submitted_ns : now_ns();
    Result<bool> now = display_->present(shown);
    if (!now) {
        if (route.dropped(*display_, shown, now.error()))
            return false; // refused: choose again
        return now.error();
    }
    if (*now) { // on screen already: no flip event comes
        const uint64_t presented_ns = now_ns();
        route.shown(shown.flip, presented_ns);
        shown.flip.report(presented_ns, sink);
    }
    if (!display_->needs_modeset())
        routes_.modeset_done();
    return true;
}

bool KmsOutput::redraw(OutputSink& sink, bool whole) {
    const Frame* last = sink.last_submitted();
    if (!last || !console_.active() || (!whole && busy()))
        return false; // the change goes out with the next frame
    Frame frame = *last;
    // Whole after a switch back or a new mode; else the routes know what changed.
    frame.damage = whole ? Region(frame.buffer->layout().bounds()) : Region();
    SubmitStats stats;
    if (Status s = show(frame, {}, stats, sink); !s) {
        sink.on_output_error(s.error());
        return false;
    }
    return true;
}

void KmsOutput::size_refused(uint32_t source, const WantedSize& size, OutputSink& sink) {
    if (source != 0 || options_.sources != 1 || !options_.follow_guest_size || guest_kept_size_)
        return;
    guest_kept_size_ = true; // the next configure() picks a mode of the picture's size
    const Frame* last = sink.last_submitted();
    if (!display_ || !last)
        return; // the first frame's configure() takes it
    const Layout& l = last->buffer->layout();
    const drmModeModeInfo& m = display_->mode();
    if (l.width == m.hdisplay && l.height == m.vdisplay)
        return;
    routes_.announcer().say("guest-kept-size",
                            "kms: the guest kept its picture " + std::to_string(l.width) + "x" +
                                std::to_string(l.height) + " instead of " +
                                std::to_string(size.width) + "x" + std::to_string(size.height) +
                                ": showing it on a mode of its size where " +
                                display_->pipeline().connector.name + " has one, else scaled");
    if (!console_.active())
        return; // the redraw after the switch back configures
    // A static guest may send no frame for a long time: show the last one on its mode now.
    wait_idle(&sink, 200);
    if (busy())
        return; // still flipping: the next frame configures, rather than a modeset now
    redraw(sink, true);
}

void KmsOutput::send_wanted_sizes(OutputSink& sink) {
    size_wanted_ = false;
    const drmModeModeInfo& m = display_->mode();
    const ConnectorInfo& c = display_->pipeline().connector;
    const ScanoutRoute* r = routes_.current();
    const TileState t = r ? r->tiles().value_or(TileState{}) : TileState{};
    for (const auto& [source, size] : tile_sizes(options_.sources, m.hdisplay, m.vdisplay,
                                                 c.mm_width, c.mm_height, t.mode, t.focus))
        sink.on_size_wanted(source, size);
}

} // namespace udmaview::kms
