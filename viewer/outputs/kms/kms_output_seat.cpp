// SPDX-License-Identifier: MIT
// KmsOutput's seat: with seatd or logind (through libseat) the manager hands out the card and
// the keyboards, sends VT switches as disable/enable and restores the console when this
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

#include "outputs/kms/kms_output.h"

namespace udmaview::kms {

#if UDMAVIEW_HAVE_LIBSEAT

Status KmsOutput::open_seat() {
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

DeviceOpener KmsOutput::opener() {
    return seat_ ? seat_->opener() : DeviceOpener();
}

bool KmsOutput::is_seat_fd(int fd) const {
    return seat_ && fd == seat_->fd();
}

void KmsOutput::dispatch_seat(OutputSink& sink) {
    if (!seat_ || seat_lost_)
        return;
    Result<std::vector<Seat::Event>> events = seat_->dispatch();
    if (!events) {
        seat_lost_ = true;
        ::epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, seat_->fd(), nullptr);
        sink.on_output_error(events.error()); // the run ends; stop() restores what it can
        return;
    }
    const std::string where = "seat " + seat_->name();
    for (Seat::Event e : *events) {
        if (e == Seat::Event::Disable) {
            release_display(sink, where);
            // The manager revokes evdev fds on a switch away: open them again when back.
            close_keyboards();
            seat_->ack_disable();
        } else {
            if (options_.keyboard) {
                keyboards_ = EvdevKeyboards::open_all(opener());
                watch_keyboards();
            }
            acquire_display(sink, where);
        }
    }
}

#else

// Built without libseat: the VT is always driven directly (vt_console.h).
Status KmsOutput::open_seat() {
    return {};
}

DeviceOpener KmsOutput::opener() {
    return {};
}

void KmsOutput::dispatch_seat(OutputSink&) {}

bool KmsOutput::is_seat_fd(int) const {
    return false;
}

#endif

} // namespace udmaview::kms
