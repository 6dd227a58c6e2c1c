// SPDX-License-Identifier: MIT
#pragma once

#include <atomic>
#include <thread>

#include "udmaview/error.h"

namespace udmaview::virt {

// libvirt's own event loop (virEventRegisterDefaultImpl), which delivers domain events, on a
// thread of its own for the whole process: libvirt allows one event implementation per
// process, registered before the first connection. Callbacks run on that thread and hand
// their work to the source's GLib thread. Stopped and joined at exit.
class EventLoop {
public:
    // Registers and starts it once; later calls return the first result.
    static Status ensure_running();
    ~EventLoop();

private:
    EventLoop() = default;
    Status start();
    void run();

    std::atomic<bool> quit_{false};
    std::thread thread_;
};

} // namespace udmaview::virt
