// SPDX-License-Identifier: MIT
#include "outputs/kms/seat.h"

#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <poll.h>
#include <string_view>
#include <unistd.h>

#include "udmaview/clock.h"

// libseat 0.7's header has no extern "C" of its own.
extern "C" {
#include <libseat.h>
}

namespace udmaview::kms {

namespace {

constexpr int enable_timeout_ms = 5000;

// libseat reports why it failed only through its log; the last error goes into our message.
thread_local std::string last_log;

void log_handler(enum libseat_log_level level, const char* format, va_list args) {
    if (level != LIBSEAT_LOG_LEVEL_ERROR)
        return;
    char text[512];
    std::vsnprintf(text, sizeof text, format, args);
    last_log = text;
}

std::string logged() {
    return last_log.empty() ? std::string() : " (libseat: " + last_log + ")";
}

} // namespace

bool Seat::manager_present() {
    const char* backend = std::getenv("LIBSEAT_BACKEND");
    if (backend && *backend)
        return std::string_view(backend) != "builtin" && std::string_view(backend) != "noop";
    const char* socket = std::getenv("SEATD_SOCK");
    if (::access(socket && *socket ? socket : "/run/seatd.sock", F_OK) == 0)
        return true;
    const char* session = std::getenv("XDG_SESSION_ID");
    return session && *session && ::access("/run/systemd/seats", F_OK) == 0;
}

Result<std::unique_ptr<Seat>> Seat::open() {
    libseat_set_log_handler(log_handler);
    libseat_set_log_level(LIBSEAT_LOG_LEVEL_ERROR);
    last_log.clear();
    static const libseat_seat_listener listener = {
        [](struct libseat*, void* self) {
            auto* s = static_cast<Seat*>(self);
            s->active_ = true;
            s->events_.push_back(Event::Enable);
        },
        [](struct libseat*, void* self) {
            static_cast<Seat*>(self)->events_.push_back(Event::Disable);
        },
    };
    std::unique_ptr<Seat> seat(new Seat);
    seat->self_ = std::make_shared<Seat*>(seat.get());
    seat->seat_ = libseat_open_seat(&listener, seat.get());
    if (!seat->seat_)
        return Error::from_errno(errno, "kms: the seat manager refused to open a seat" + logged(),
                                 "start seatd ('seatd -g video') and join group video, or run "
                                 "from a systemd-logind session on a text console");
    seat->name_ = libseat_seat_name(seat->seat_);
    const uint64_t deadline = now_ns() + uint64_t(enable_timeout_ms) * 1000000;
    while (!seat->active_) {
        const uint64_t now = now_ns();
        if (now >= deadline)
            return Error{"kms: seat " + seat->name_ +
                             " was not enabled within 5 s (another session is active)" + logged() +
                             ": run udmaview from the active VT",
                         ETIMEDOUT};
        pollfd p{seat->fd(), POLLIN, 0};
        ::poll(&p, 1, int((deadline - now) / 1000000) + 1);
        if (libseat_dispatch(seat->seat_, 0) < 0)
            return Error::from_errno(errno, "kms: reading from the seat manager failed" + logged());
    }
    seat->events_.clear(); // the first Enable is the start, not a switch back
    return seat;
}

Seat::~Seat() {
    *self_ = nullptr;
    if (seat_)
        libseat_close_seat(seat_);
}

int Seat::fd() const {
    return libseat_get_fd(seat_);
}

Result<DeviceNode> Seat::open_device(const std::string& path) {
    int fd = -1;
    last_log.clear();
    const int id = libseat_open_device(seat_, path.c_str(), &fd);
    if (id < 0)
        return Error::from_errno(errno,
                                 "kms: seat " + name_ + " refused to open " + path + logged(),
                                 "the seat must be active (run from the active VT)");
    ::fcntl(fd, F_SETFD, FD_CLOEXEC);
    return DeviceNode(UniqueFd(fd), [self = self_, id] {
        if (*self)
            libseat_close_device((*self)->seat_, id);
    });
}

DeviceOpener Seat::opener() {
    return [this](const std::string& path) {
        return open_device(path);
    };
}

Result<std::vector<Seat::Event>> Seat::dispatch() {
    if (libseat_dispatch(seat_, 0) < 0)
        return Error::from_errno(
            errno, "kms: the seat manager ended the session on seat " + name_ + logged(),
            "seatd or logind stopped or revoked it; start it and run "
            "udmaview again");
    std::vector<Event> out;
    out.swap(events_);
    return out;
}

void Seat::ack_disable() {
    active_ = false;
    libseat_disable_seat(seat_);
}

void Seat::switch_session(int n) {
    libseat_switch_session(seat_, n);
}

} // namespace udmaview::kms
