// SPDX-License-Identifier: MIT
#include "outputs/kms/console_keyboards.h"

#include <sys/epoll.h>

namespace udmaview::kms {

ConsoleKeyboards::ConsoleKeyboards(bool tile_keys) {
    if (tile_keys)
        chords_.enable_tile_keys();
}

bool ConsoleKeyboards::open(const DeviceOpener& opener, int epoll_fd) {
    keyboards_ = EvdevKeyboards::open_all(opener);
    for (const DeviceNode& fd : keyboards_.fds()) {
        epoll_event ev{};
        ev.events = EPOLLIN;
        ev.data.fd = fd.get();
        ::epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd.get(), &ev);
    }
    return !keyboards_.empty();
}

void ConsoleKeyboards::close(int epoll_fd) {
    if (epoll_fd >= 0)
        for (const DeviceNode& fd : keyboards_.fds())
            ::epoll_ctl(epoll_fd, EPOLL_CTL_DEL, fd.get(), nullptr);
    keyboards_ = EvdevKeyboards();
}

void ConsoleKeyboards::read(int fd, int epoll_fd, const OnKey& on_key) {
    const bool alive = EvdevKeyboards::read(fd, [&](const KeyEvent& key) {
        int vt = 0;
        const KeyAction action = chords_.feed(key, vt);
        on_key(key, action, vt);
    });
    if (!alive)
        ::epoll_ctl(epoll_fd, EPOLL_CTL_DEL, fd, nullptr);
}

} // namespace udmaview::kms
