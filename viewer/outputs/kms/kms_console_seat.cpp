// SPDX-License-Identifier: MIT
// The console's seat: with seatd or logind (through libseat) the manager hands out the card
// and the keyboards, sends VT switches as disable/enable and restores the console when this
// process ends, SIGKILL included.
//
// Without a seat manager, root drives the VT itself (vt_console.h) rather than through
// libseat's builtin backend: that backend runs the manager inside this process, so nothing
// would restore the console after a SIGKILL, and it resets the keyboard to Unicode instead
// of the mode it found. Our VT code keeps a guardian process for the first and saves the
// mode for the second.
#include <iostream>
#include <sys/epoll.h>
#include <unistd.h>

#include "outputs/kms/kms_console.h"

namespace udmaview::kms {

#if UDMAVIEW_HAVE_LIBSEAT

Status KmsConsole::open_seat() {
    if (!options_.console)
        return {};
    const bool root = ::geteuid() == 0;
    if (!Seat::manager_present()) {
        if (root)
            return {};
        return Error{"kms: no seat manager and not root: start seatd ('seatd -g video') and "
                     "join group video, or log in on a text console (systemd-logind session)",
                     EACCES};
    }
    Result<std::unique_ptr<Seat>> seat = Seat::open();
    if (!seat) {
        if (!root)
            return seat.error();
        std::cerr << seat.error().message << "; as root, using the VT directly\n";
        return {};
    }
    seat_ = std::move(*seat);
    if (options_.verbose)
        std::cerr << "kms: seat " << seat_->name() << " from the seat manager\n";
    return {};
}

DeviceOpener KmsConsole::opener() const {
    return seat_ ? seat_->opener() : DeviceOpener();
}

bool KmsConsole::is_seat_fd(int fd) const {
    return seat_ && fd == seat_->fd();
}

void KmsConsole::close_seat() {
    seat_.reset();
}

void KmsConsole::dispatch_seat(ConsoleEvents& events) {
    if (!seat_ || seat_lost_)
        return;
    Result<std::vector<Seat::Event>> seat_events = seat_->dispatch();
    if (!seat_events) {
        seat_lost_ = true;
        ::epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, seat_->fd(), nullptr);
        events.on_lost(seat_events.error()); // the run ends; stop() restores what it can
        return;
    }
    const std::string where = "seat " + seat_->name();
    for (Seat::Event e : *seat_events) {
        if (e == Seat::Event::Disable) {
            events.on_released(where);
            active_ = false;
            // The manager revokes evdev fds on a switch away: open them again when back.
            keyboards_.close(epoll_.get());
            seat_->ack_disable();
        } else {
            open_keyboards();
            active_ = true; // the redraw on acquire draws only while active
            active_ = events.on_acquired(where);
        }
    }
}

#else

// Built without libseat: the VT is always driven directly (vt_console.h).
Status KmsConsole::open_seat() {
    return {};
}

DeviceOpener KmsConsole::opener() const {
    return {};
}

bool KmsConsole::is_seat_fd(int) const {
    return false;
}

void KmsConsole::close_seat() {}

void KmsConsole::dispatch_seat(ConsoleEvents&) {}

#endif

} // namespace udmaview::kms
