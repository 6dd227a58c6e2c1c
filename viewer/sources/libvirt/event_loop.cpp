// SPDX-License-Identifier: MIT
#include "sources/libvirt/event_loop.h"

#include <cerrno>
#include <mutex>

#include "sources/libvirt/virt_ptr.h"

namespace udmaview::virt {

Status EventLoop::ensure_running() {
    static EventLoop loop;
    static std::once_flag once;
    static Status started;
    std::call_once(once, [] { started = loop.start(); });
    return started;
}

Status EventLoop::start() {
    if (virEventRegisterDefaultImpl() < 0)
        return Error{"libvirt: cannot set up its event loop: " + last_error(), EIO};
    thread_ = std::thread([this] { run(); });
    return {};
}

void EventLoop::run() {
    while (!quit_.load())
        if (virEventRunDefaultImpl() < 0)
            break;
}

EventLoop::~EventLoop() {
    if (!thread_.joinable())
        return;
    quit_.store(true);
    // A timer due at once wakes virEventRunDefaultImpl, which then sees quit_.
    const int timer = virEventAddTimeout(
        0, [](int id, void*) { virEventRemoveTimeout(id); }, nullptr, nullptr);
    if (timer < 0) {
        thread_.detach(); // cannot wake it: the process is ending anyway
        return;
    }
    thread_.join();
}

} // namespace udmaview::virt
