// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "udmaview/cursor.h"
#include "udmaview/error.h"
#include "udmaview/frame.h"
#include "udmaview/input.h"
#include "udmaview/wanted_size.h"

namespace udmaview {

// Counters an output fills in for the frame it submits; they go into the timing report.
struct SubmitStats {
    uint64_t bytes_copied = 0; // by udmaview itself (upload, dumb-buffer copy)
    uint32_t imports = 0;      // new imports made for this frame (PRIME, EGLImage, mmap)
    uint64_t imported_ns = 0;  // when the buffer was ready (import done or cache hit)
    uint64_t submitted_ns = 0; // when the commit/swap/copy was issued (0: when submit returned)
    std::string path;          // "import", "upload", "dumb-copy", "mmap", …
};

// A frame submitted and not yet presented: what its presented report and the --hud overlay
// need once its flip or swap is done (several of them when one present shows a round).
struct PendingFrame {
    uint64_t seq = 0, produced_ns = 0;
    SubmitStats stats;
};

// What an output reports to the presenter while it is dispatched.
class OutputSink {
public:
    virtual ~OutputSink() = default;
    // The frame with this seq is on screen (page flip, swap done) at presented_ns.
    virtual void on_presented(uint64_t seq, uint64_t presented_ns) = 0;
    virtual void on_input(const InputEvent& event) = 0;
    // The user asked to quit (window closed, escape key).
    virtual void on_quit() = 0;
    // The output cannot go on (device lost, …).
    virtual void on_output_error(const Error& error) = 0;
    // The space source (Frame::source) has on screen changed (mode set, window resized, full
    // screen, tile layout): the presenter passes it on to that source. Default: ignored.
    virtual void on_size_wanted(uint32_t, const WantedSize&) {}
    // The frame submitted last (of any source), which the presenter keeps while it is shown:
    // what an output redraws (after a switch back, for the overlay or the pointer). Null
    // before the first frame. Default: none.
    virtual const Frame* last_submitted() const { return nullptr; }
};

// A consumer of frames: KMS plane, SDL window, headless.
class Output {
public:
    virtual ~Output() = default;

    virtual std::string name() const = 0;
    virtual Status start() = 0;
    // Restores whatever start() took over (console, CRTC). Safe to call twice.
    virtual void stop() = 0;
    // Readable when dispatch() has events (page flips, window events); -1 if none.
    virtual int poll_fd() const { return -1; }
    // > 0: dispatch() wants to be called at least this often (SDL has no fd to poll).
    virtual uint64_t dispatch_interval_ns() const { return 0; }
    virtual void dispatch(OutputSink&) {}
    // True while a submitted frame is not presented yet: the presenter holds newer frames
    // back (latest wins) until it is.
    virtual bool busy() const = 0;
    // Shows frame: imports its buffer if new (cached by BufferId), then signals damage only.
    // Synchronous outputs report presentation through the sink right away.
    virtual Status submit(const Frame& frame, SubmitStats& stats, OutputSink& sink) = 0;
    // The presenter handed over this round's frames (at most one per source): an output that
    // shows several sources at once presents them here, once. Default: nothing to do.
    virtual void flush(OutputSink&) {}
    // Drops every cached import of a buffer the source retired.
    virtual void retire(BufferId id) = 0;
    // Called once when the run ends with the last frame still current (e.g. PNG dump).
    virtual Status finish(const Frame*) { return {}; }
    // The source's pointer (image + hot-spot position in source pixels); outputs that can
    // draw it (cursor plane, GL quad, PNG dump) do. Default: ignored.
    virtual void set_cursor(const CursorState&) {}
    // With several sources (Frame::source): which one keyboard and mouse input is for (the
    // focused tile), and the news that one ended (its tile says so). Default: one source.
    virtual uint32_t input_source() const { return 0; }
    virtual void source_ended(uint32_t) {}
    // Source did not take a size the output asked for through OutputSink::on_size_wanted (the
    // device or guest keeps its own): an output that chose a screen mode for that size may
    // choose one of the picture's size instead. Default: ignored.
    virtual void size_refused(uint32_t, const WantedSize&, OutputSink&) {}
    // Which paths the output chose and how often it took them, in a fixed order, for the
    // timing report (JSON summary "output_counters"). The names are part of the report
    // format: keep them stable. Also what the --hud overlay cost. Empty when the output has none.
    virtual std::vector<std::pair<std::string, uint64_t>> counters() const { return {}; }
};

} // namespace udmaview
