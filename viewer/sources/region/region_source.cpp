// SPDX-License-Identifier: MIT
#include "sources/region/region_source.h"

#include <cerrno>
#include <fcntl.h>
#include <iostream>
#include <limits>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "udmaview/clock.h"
#include "udmaview/sigbus_guard.h"
#include "udmaview/udmabuf.h"

namespace udmaview {

namespace {

constexpr const char* find_qemu_memfd_hint =
    "for a QEMU guest started with memory-backend-memfd, find the memfd with "
    "`ls -l /proc/$(pidof qemu-system-x86_64)/fd | grep memfd`";

// The PID in a /proc/PID/... path, or 0.
pid_t owner_pid(const std::string& path) {
    if (path.rfind("/proc/", 0) != 0)
        return 0;
    const size_t end = path.find('/', 6);
    const std::string digits = path.substr(6, end == std::string::npos ? end : end - 6);
    if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos)
        return 0;
    const pid_t pid = pid_t(std::stol(digits));
    return pid == ::getpid() ? 0 : pid;
}

Status add_to_epoll(int epoll, int fd) {
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.fd = fd;
    if (::epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &ev) < 0)
        return Error::from_errno(errno, "region: epoll_ctl failed");
    return {};
}

} // namespace

Status RegionSource::open_region() {
    const RegionSpec& spec = options_.spec;
    const std::string what = "region " + spec.path;
    UniqueFd fd(::open(spec.path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd)
        return Error::from_errno(errno, what + ": cannot open", find_qemu_memfd_hint);
    struct stat st {};
    if (::fstat(fd.get(), &st) < 0)
        return Error::from_errno(errno, what + ": fstat failed");
    if (!S_ISREG(st.st_mode))
        return Error{what + ": not a regular file (a memfd or a file in /dev/shm is needed)",
                     EINVAL};

    Layout layout{spec.width, spec.height, spec.stride, 0, spec.format};
    const uint64_t bytes = layout.min_bytes();
    if (spec.offset > std::numeric_limits<uint64_t>::max() - bytes ||
        spec.offset + bytes > uint64_t(st.st_size))
        return Error{what + ": the framebuffer (offset " + std::to_string(spec.offset) + " + " +
                         std::to_string(bytes) + " bytes) does not fit in the file's " +
                         std::to_string(st.st_size) + " bytes; check offset, size and stride",
                     EINVAL};
    // udmabuf and mmap work on whole pages: take the enclosing pages, point the layout into them.
    const uint64_t first = align_down(spec.offset, page_size());
    const uint64_t length = align_up(spec.offset + bytes, page_size()) - first;
    layout.offset = spec.offset - first;

    std::optional<DmaBuf> dmabuf;
    if (options_.use_udmabuf) {
        Result<Udmabuf> dev = Udmabuf::open(options_.udmabuf_path);
        Result<DmaBuf> made =
            dev ? dev->create({fd.get(), first, length}) : Result<DmaBuf>(dev.error());
        if (made)
            dmabuf = std::move(*made);
        else
            std::cerr << "region: no dma-buf: " << made.error().message
                      << "; outputs map the file instead (the mmap fallback)\n";
    }
    // A file sealed against shrinking cannot fault under us; any other is mapped under the
    // SigbusGuard, and the presenter ends this source if the owner truncates it.
    if (SigbusGuard::may_shrink(fd.get()))
        std::cerr << "region: " << spec.path
                  << " is not sealed against shrinking (no F_SEAL_SHRINK): it is mapped under "
                     "the SIGBUS guard; if its owner truncates it, this source ends\n";
    else
        std::cerr << "region: " << spec.path
                  << " is sealed against shrinking (F_SEAL_SHRINK): its owner cannot "
                     "truncate it under the viewer\n";
    Result<Mapping> view =
        Mapping::map(fd.get(), spec.offset, size_t(bytes), PROT_READ, what.c_str());
    if (!view)
        return view.error();
    view_ = std::move(*view);
    auto shared = std::make_shared<const UniqueFd>(std::move(fd));
    buffer_ = std::make_shared<const Buffer>(layout, std::vector<Backing>{{shared, first, length}},
                                             std::move(dmabuf), "region " + spec.path);
    Result<TileDamage> damage =
        TileDamage::create(spec.width, spec.height, spec.format->bytes_per_pixel, spec.stride);
    if (!damage)
        return Error{"region " + spec.path + ": " + damage.error().message, EINVAL};
    damage_ = std::make_unique<TileDamage>(std::move(*damage));
    return {};
}

Status RegionSource::watch_owner() {
    const pid_t pid = owner_pid(options_.spec.path);
    if (!pid)
        return {};
    owner_pidfd_ = UniqueFd(int(::syscall(SYS_pidfd_open, pid, 0)));
    if (!owner_pidfd_) // too old a kernel: the region just freezes when its owner exits
        return {};
    return add_to_epoll(epoll_.get(), owner_pidfd_.get());
}

Status RegionSource::start() {
    if (Status s = open_region(); !s)
        return s;
    epoll_ = UniqueFd(::epoll_create1(EPOLL_CLOEXEC));
    timer_ = UniqueFd(::timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK));
    if (!epoll_ || !timer_)
        return Error::from_errno(errno, "region: epoll/timerfd failed");
    const uint64_t period_ns =
        options_.fps > 0 ? uint64_t(1e9 / options_.fps) : 1'000'000; // fps 0: scan every 1 ms
    itimerspec spec{};
    spec.it_interval.tv_sec = time_t(period_ns / 1'000'000'000u);
    spec.it_interval.tv_nsec = long(period_ns % 1'000'000'000u);
    spec.it_value.tv_nsec = 1; // first scan at once
    if (::timerfd_settime(timer_.get(), 0, &spec, nullptr) < 0)
        return Error::from_errno(errno, "region: timerfd_settime failed");
    if (Status s = add_to_epoll(epoll_.get(), timer_.get()); !s)
        return s;
    return watch_owner();
}

void RegionSource::dispatch(SourceSink& sink) {
    if (ended_)
        return;
    epoll_event events[2];
    const int n = ::epoll_wait(epoll_.get(), events, 2, 0);
    bool scan = false;
    for (int i = 0; i < n; ++i) {
        if (owner_pidfd_ && events[i].data.fd == owner_pidfd_.get()) {
            std::cerr << "region: the process owning " << options_.spec.path
                      << " exited; stopping\n";
            ended_ = true;
            sink.on_source_end({});
            return;
        }
        uint64_t expirations;
        if (::read(timer_.get(), &expirations, sizeof expirations) > 0)
            scan = true;
    }
    if (!scan)
        return;
    Region changed = damage_->update(view_.data());
    if (changed.empty())
        return;
    sink.on_frame(Frame{++seq_, buffer_, std::move(changed), now_ns()});
    if (limit_ && seq_ >= limit_) {
        ended_ = true;
        sink.on_source_end({});
    }
}

} // namespace udmaview
