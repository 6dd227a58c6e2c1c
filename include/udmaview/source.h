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

// What a source reports to the presenter while it is dispatched.
class SourceSink {
public:
    virtual ~SourceSink() = default;
    virtual void on_frame(Frame frame) = 0;
    // The source will not use this buffer again: outputs drop their imports of it.
    virtual void on_buffer_retired(BufferId id) = 0;
    // No more frames will come (finished, peer gone, fatal error).
    virtual void on_source_end(const Status& why) = 0;
    // The guest pointer changed (image, position or visibility). Default: ignored.
    virtual void on_cursor(const CursorState&) {}
    // A size asked with request_size() was not taken (the device cannot change its size, or
    // the guest did not follow): the output may show the picture at its own size instead.
    virtual void on_size_refused(const WantedSize&) {}
};

// A producer of frames: the demo, a memory region, a QEMU display. Runs its own protocol
// and tells the presenter about frames through a SourceSink from dispatch().
class FrameSource {
public:
    virtual ~FrameSource() = default;

    virtual std::string name() const = 0;
    virtual Status start() = 0;
    virtual void stop() = 0;
    // Readable when dispatch() has something to report; -1 when the source only needs
    // periodic dispatch (see dispatch_interval_ns).
    virtual int poll_fd() const = 0;
    virtual uint64_t dispatch_interval_ns() const { return 0; }
    virtual void dispatch(SourceSink& sink) = 0;
    // Input from the output, for the guest. Sources that take no input ignore it.
    virtual void send_input(const InputEvent&) {}
    // The output would show this source at 1:1 if its picture had this size (a guest that can
    // change its resolution may follow). Sources with a fixed picture ignore it.
    virtual void request_size(const WantedSize&) {}
    // The presenter has stopped counting: --frames reached.
    virtual void set_frame_limit(uint64_t) {}
    // The source's own protocol counters, in a fixed order, for the timing report (JSON
    // summary "source_counters", stderr summary). The names are part of the report format:
    // keep them stable. Empty when the source has none.
    virtual std::vector<std::pair<std::string, uint64_t>> counters() const { return {}; }
};

} // namespace udmaview
