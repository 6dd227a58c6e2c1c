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
    PathInputs in = path_inputs();
    // Whether the plane can place the picture depends on the mode it is placed on.
    in.placement_refused =
        facts_.no_direct ==
        std::array<uint32_t, 4>{l.width, l.height, mode->hdisplay, mode->vdisplay};
    in.dmabuf = bool(frame.buffer->dmabuf());
    in.plane_format = display_->pipeline().plane.supports(l.format->fourcc);
    in.modifier_ok =
        l.modifier == modifier_linear || display_->device().has_cap(DRM_CAP_ADDFB2_MODIFIERS);
    in.origin = frame.buffer->origin();
    in.format_name = l.format->name;
    const PathChoice choice = choose_scanout_path(in);
    if (!choice.line.empty())
        announcer_.say(choice.key, choice.line);
    // Tiles: one configuration for every source's frames.
    const bool tiles = options_.sources > 1;
    const Configured wanted{tiles ? 0 : l.width, tiles ? 0 : l.height, tiles ? nullptr : l.format,
                            choice.path,         mode->hdisplay,       mode->vdisplay};
    if (route_ && wanted == configured_)
        return {};
    if (Status s = display_->set_mode(*mode); !s)
        return s;
    configured_ = wanted;
    route_ = &route_for(choice.path);
    size_wanted_ = true;
    for (ScanoutRoute* r :
         {static_cast<ScanoutRoute*>(&plane_), static_cast<ScanoutRoute*>(&cpu_), gl_.get()})
        if (r)
            r->reset(*display_, r == route_);
    if (options_.hud && choice.path == ScanoutPath::Plane)
        announcer_.say("hud", "kms: --hud: the plane path scans out the guest's buffer and shows "
                              "no overlay; use --kms-path cpu or gl for it");
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
        Result<bool> taken = route_->update(*display_, frame, stats);
        if (!taken)
            return taken.error();
        if (*taken) {
            if (route_->path() != ScanoutPath::Plane)
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
    last_frame_ = frame;
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
    if (console_.active() && route_) {
        SubmitStats stats;
        Result<bool> shown = present(round_, stats, sink);
        if (!shown)
            sink.on_output_error(shown.error());
    }
    round_.clear();
}

Status KmsOutput::show(const Frame& frame, std::vector<RoundFrame> frames, SubmitStats& stats,
                       OutputSink& sink) {
    for (int i = 0; i < max_choices; ++i) {
        Result<bool> taken = take(frame, stats);
        if (!taken || !*taken)
            return taken ? Status{} : Status{taken.error()};
        for (RoundFrame& f : frames)
            f.stats = stats; // for the --hud overlay
        Result<bool> shown = present(frames, stats, sink);
        if (!shown || *shown)
            return shown ? Status{} : Status{shown.error()};
    }
    return Error{"kms: no scan-out path can show frame " + std::to_string(frame.seq) +
                     "; try --kms-path cpu",
                 ENOTSUP};
}

Result<bool> KmsOutput::present(const std::vector<RoundFrame>& frames, SubmitStats& stats,
                                OutputSink& sink) {
    Shown shown;
    Result<bool> prepared = route_->prepare(*display_, frames, shown);
    if (!prepared || !*prepared)
        return prepared;
    stats.submitted_ns = stats.submitted_ns ? stats.submitted_ns : now_ns();
    Result<bool> now = display_->present(shown);
    if (!now) {
        if (route_->dropped(*display_, shown, now.error()))
            return false; // refused: choose again
        return now.error();
    }
    if (*now) // on screen already: no flip event comes
        route_->shown(shown.flip, now_ns());
    if (*now)
        shown.flip.report(now_ns(), sink);
    if (!display_->needs_modeset())
        for (ScanoutRoute* r :
             {static_cast<ScanoutRoute*>(&plane_), static_cast<ScanoutRoute*>(&cpu_), gl_.get()})
            if (r)
                r->modeset_done();
    return true;
}

void KmsOutput::redraw(OutputSink& sink, bool whole) {
    if (!last_frame_ || !console_.active() || (!whole && busy()))
        return; // the change goes out with the next frame
    Frame frame = *last_frame_;
    // Whole after a switch back; else the routes know what changed.
    frame.damage = whole ? Region(frame.buffer->layout().bounds()) : Region();
    SubmitStats stats;
    if (Status s = show(frame, {}, stats, sink); !s) {
        sink.on_output_error(s.error());
        return;
    }
    if (whole)
        ++switch_redraws_;
}

void KmsOutput::size_refused(uint32_t source, const WantedSize& size, OutputSink& sink) {
    if (source != 0 || options_.sources != 1 || !options_.follow_guest_size || guest_kept_size_)
        return;
    guest_kept_size_ = true; // the next configure() picks a mode of the picture's size
    if (!display_ || !last_frame_)
        return; // the first frame's configure() takes it
    const Layout& l = last_frame_->buffer->layout();
    const drmModeModeInfo& m = display_->mode();
    if (l.width == m.hdisplay && l.height == m.vdisplay)
        return;
    announcer_.say("guest-kept-size",
                   "kms: the guest kept its picture " + std::to_string(l.width) + "x" +
                       std::to_string(l.height) + " instead of " + std::to_string(size.width) +
                       "x" + std::to_string(size.height) +
                       ": showing it on a mode of its size where " +
                       display_->pipeline().connector.name + " has one, else scaled");
    if (!console_.active())
        return; // the redraw after the switch back configures
    // A static guest may send no frame for a long time: show the last one on its mode now.
    wait_idle(&sink, 200);
    if (busy())
        return; // still flipping: the next frame configures, rather than a modeset now
    Frame frame = *last_frame_;
    frame.damage = Region(l.bounds());
    SubmitStats stats;
    if (Status s = show(frame, {}, stats, sink); !s)
        sink.on_output_error(s.error());
}

void KmsOutput::send_wanted_sizes(OutputSink& sink) {
    size_wanted_ = false;
    const drmModeModeInfo& m = display_->mode();
    const ConnectorInfo& c = display_->pipeline().connector;
    const TileState t = route_ ? route_->tiles().value_or(TileState{}) : TileState{};
    for (const auto& [source, size] : tile_sizes(options_.sources, m.hdisplay, m.vdisplay,
                                                 c.mm_width, c.mm_height, t.mode, t.focus))
        sink.on_size_wanted(source, size);
}

} // namespace udmaview::kms
