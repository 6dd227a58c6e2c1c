// SPDX-License-Identifier: MIT
// The VT side of the console (graphics mode, switch signals), the keyboards and the epoll fd;
// the seat side is in kms_console_seat.cpp.
#include "outputs/kms/kms_console.h"

#include <cerrno>
#include <iostream>
#include <sys/epoll.h>

namespace udmaview::kms {

KeyRoute route_key(KeyAction action, bool active) {
    switch (action) {
    case KeyAction::Forward:
        return active ? KeyRoute::Forward : KeyRoute::Drop;
    case KeyAction::Swallow:
        return KeyRoute::Drop;
    case KeyAction::SwitchVt:
        return KeyRoute::SwitchVt;
    case KeyAction::Quit:
    case KeyAction::ToggleHud:
    case KeyAction::FocusPrev:
    case KeyAction::FocusNext:
    case KeyAction::ToggleTiles:
        return KeyRoute::Output;
    }
    return KeyRoute::Drop;
}

KmsConsole::KmsConsole(ConsoleOptions options)
    : options_(options)
    , keyboards_(options.tile_keys) {}

KmsConsole::~KmsConsole() {
    restore_vt();
    close_seat();
}

void KmsConsole::watch(int fd) {
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.fd = fd;
    ::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd, &ev);
}

Status KmsConsole::open(int device_fd, const std::string& card) {
    // Under a seat manager the VT is the manager's: it sets graphics mode, drives switches
    // and restores the console however this process ends.
    if (options_.console && !opener()) {
        std::string note;
        Result<std::unique_ptr<VtConsole>> vt = VtConsole::take(note, card, options_.take_over);
        if (!vt)
            return vt.error();
        vt_ = std::move(*vt);
        if (!note.empty())
            std::cerr << note << "\n";
    }
    epoll_ = UniqueFd(::epoll_create1(EPOLL_CLOEXEC));
    if (!epoll_)
        return Error::from_errno(errno, "kms: epoll_create1 failed");
    device_fd_ = device_fd;
    watch(device_fd);
    if (vt_)
        watch(vt_->signal_fd());
#if UDMAVIEW_HAVE_LIBSEAT
    if (seat_)
        watch(seat_->fd());
#endif
    if (options_.keyboard) {
        const bool found = keyboards_.open(opener(), epoll_.get());
        if (!found)
            std::cerr << "kms: no keyboard in /dev/input (or no permission): keys are not "
                         "forwarded; stop with Ctrl+C or SIGTERM\n";
        else if (vt_)
            vt_->keyboard_off(); // keys come from evdev; Ctrl+Alt+Fn and Ctrl+Alt+Q handled here
    }
    return {};
}

void KmsConsole::open_keyboards() {
    if (options_.keyboard)
        keyboards_.open(opener(), epoll_.get());
}

void KmsConsole::dispatch(ConsoleEvents& events) {
    if (!epoll_)
        return;
    // On every wakeup, not only when its fd is readable: libseat keeps events it read while
    // waiting for the answer to a request (opening a device).
    dispatch_seat(events);
    epoll_event ready[16];
    const int n = ::epoll_wait(epoll_.get(), ready, 16, 0);
    for (int i = 0; i < n; ++i) {
        const int fd = ready[i].data.fd;
        if (fd == device_fd_) {
            events.on_device_ready();
        } else if (is_seat_fd(fd)) {
            continue; // read above
        } else if (vt_ && fd == vt_->signal_fd()) {
            dispatch_vt(events);
        } else {
            keyboards_.read(fd, epoll_.get(), [&](const KeyEvent& key, KeyAction action, int vt) {
                switch (route_key(action, active_)) {
                case KeyRoute::Drop:
                    break;
                case KeyRoute::Forward:
                    events.on_key(key);
                    break;
                case KeyRoute::SwitchVt:
#if UDMAVIEW_HAVE_LIBSEAT
                    if (seat_)
                        seat_->switch_session(vt);
#endif
                    if (vt_)
                        vt_->activate(vt);
                    break;
                case KeyRoute::Output:
                    events.on_key_action(action);
                    break;
                }
            });
        }
    }
}

void KmsConsole::dispatch_vt(ConsoleEvents& events) {
    for (VtConsole::Event e; (e = vt_->read_event()) != VtConsole::Event::None;) {
        if (e == VtConsole::Event::Release) {
            events.on_released(vt_->name());
            active_ = false;
            vt_->ack_release();
        } else {
            vt_->ack_acquire();
            active_ = true; // the redraw on acquire draws only while active
            active_ = events.on_acquired(vt_->name());
        }
    }
}

void KmsConsole::restore_vt() {
    if (vt_)
        vt_->restore();
    vt_.reset();
    keyboards_.close(epoll_.get());
    epoll_.reset();
    device_fd_ = -1;
}

} // namespace udmaview::kms
