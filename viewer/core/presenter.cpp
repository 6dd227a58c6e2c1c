// SPDX-License-Identifier: MIT
#include "udmaview/presenter.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <iostream>
#include <poll.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "udmaview/clock.h"

namespace udmaview {

namespace {

UniqueFd make_deadline_timer(uint64_t after_ns) {
    UniqueFd fd(::timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK));
    if (!fd)
        return fd;
    itimerspec spec{};
    spec.it_value.tv_sec = time_t(after_ns / 1'000'000'000u);
    spec.it_value.tv_nsec = long(after_ns % 1'000'000'000u);
    if (after_ns == 0)
        spec.it_value.tv_nsec = 1;
    ::timerfd_settime(fd.get(), 0, &spec, nullptr);
    return fd;
}

int poll_timeout_ms(uint64_t a_ns, uint64_t b_ns) {
    uint64_t t = 0;
    for (uint64_t v : {a_ns, b_ns})
        if (v && (!t || v < t))
            t = v;
    if (!t)
        return -1;
    return int(std::max<uint64_t>(1, (t + 999'999) / 1'000'000));
}

} // namespace

Presenter::Presenter(FrameSource& source, Output& output, TimingRecorder& timing,
                     PresenterOptions options)
    : source_(source)
    , output_(output)
    , timing_(timing)
    , options_(options) {}

Presenter::~Presenter() = default;

Result<UniqueFd> Presenter::block_signals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    if (::sigprocmask(SIG_BLOCK, &set, nullptr) < 0)
        return Error::from_errno(errno, "presenter: blocking signals failed");
    std::signal(SIGPIPE, SIG_IGN); // a dead peer must surface as EPIPE, not kill us
    UniqueFd fd(::signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK));
    if (!fd)
        return Error::from_errno(errno, "presenter: signalfd failed");
    return fd;
}

bool Presenter::limit_reached() const {
    return options_.max_frames && frames_seen_ >= options_.max_frames;
}

std::optional<StopReason> Presenter::stop_reason() const {
    if (error_)
        return StopReason::Error;
    if (quit_)
        return StopReason::Quit;
    const bool drained = !pending_ && !output_.busy();
    if (limit_reached() && drained)
        return StopReason::FrameLimit;
    if (source_ended_ && drained)
        return StopReason::SourceEnded;
    return std::nullopt;
}

Result<StopReason> Presenter::run(UniqueFd signal_fd) {
    if (options_.max_frames)
        source_.set_frame_limit(options_.max_frames);
    if (Status s = output_.start(); !s)
        return s.error();
    if (Status s = source_.start(); !s) {
        output_.stop();
        return s.error();
    }
    UniqueFd deadline;
    if (options_.duration_ns)
        deadline = make_deadline_timer(options_.duration_ns);

    std::optional<StopReason> reason;
    while (!(reason = stop_reason())) {
        pollfd fds[4] = {{signal_fd.get(), POLLIN, 0},
                         {deadline.get(), POLLIN, 0},
                         {source_.poll_fd(), POLLIN, 0},
                         {output_.poll_fd(), POLLIN, 0}};
        const int timeout =
            poll_timeout_ms(source_.dispatch_interval_ns(), output_.dispatch_interval_ns());
        int n = ::poll(fds, 4, timeout);
        if (n < 0 && errno != EINTR) {
            error_ = Error::from_errno(errno, "presenter: poll failed");
            break;
        }
        if (fds[0].revents & POLLIN) {
            signalfd_siginfo info{};
            if (::read(signal_fd.get(), &info, sizeof info) == sizeof info)
                stop_signal_ = int(info.ssi_signo);
            reason = StopReason::Signal;
            break;
        }
        if (fds[1].revents & POLLIN) {
            reason = StopReason::Duration;
            break;
        }
        if ((fds[2].revents & (POLLIN | POLLHUP | POLLERR)) || source_.dispatch_interval_ns())
            source_.dispatch(*this);
        if ((fds[3].revents & (POLLIN | POLLHUP | POLLERR)) || output_.dispatch_interval_ns())
            output_.dispatch(*this);
        submit_pending();
    }

    source_.stop();
    timing_.set_source_counters(source_.counters()); // final once the source has stopped
    Status finished = output_.finish(current_ ? &*current_ : nullptr);
    timing_.set_output_counters(output_.counters());
    output_.stop();
    if (error_)
        return *error_;
    if (!finished)
        return finished.error();
    return *reason;
}

void Presenter::on_frame(Frame frame) {
    if (limit_reached() || source_ended_)
        return;
    ++frames_seen_;
    FrameRecord record;
    record.seq = frame.seq;
    record.buffer_id = frame.buffer ? frame.buffer->id() : 0;
    record.produced_ns = frame.produced_ns ? frame.produced_ns : now_ns();
    record.damage_rects = uint32_t(frame.damage.rects().size());
    record.damage_pixels = uint64_t(frame.damage.area());
    record.bytes_copied = frame.source_bytes_copied; // spent even if the frame is dropped
    timing_.add(record);
    if (pending_) {
        // Latest wins: the older frame is never shown, but what it changed still has to be.
        if (FrameRecord* old = timing_.find(pending_->seq))
            old->dropped = true;
        frame.damage.add(pending_->damage);
    }
    pending_ = std::move(frame);
}

void Presenter::submit_pending() {
    if (!pending_ || output_.busy())
        return;
    Frame frame = std::move(*pending_);
    pending_.reset();
    SubmitStats stats;
    Status s = output_.submit(frame, stats, *this);
    const uint64_t done = now_ns();
    if (FrameRecord* r = timing_.find(frame.seq)) {
        r->imported_ns = stats.imported_ns ? stats.imported_ns : done;
        r->submitted_ns = stats.submitted_ns ? stats.submitted_ns : done;
        r->bytes_copied += stats.bytes_copied;
        r->imports = stats.imports;
        r->path = stats.path;
    }
    if (!s) {
        error_ = s.error();
        return;
    }
    current_ = std::move(frame);
    retire_unused();
}

void Presenter::retire_unused() {
    const BufferId shown = current_ && current_->buffer ? current_->buffer->id() : 0;
    std::erase_if(retired_, [&](BufferId id) {
        if (id == shown)
            return false;
        output_.retire(id);
        return true;
    });
}

void Presenter::on_buffer_retired(BufferId id) {
    retired_.push_back(id);
    retire_unused();
}

void Presenter::on_source_end(const Status& why) {
    source_ended_ = true;
    if (!why)
        error_ = why.error();
}

void Presenter::on_presented(uint64_t seq, uint64_t presented_ns) {
    if (FrameRecord* r = timing_.find(seq))
        r->presented_ns = presented_ns;
    last_presented_seq_ = seq;
    if (options_.verbose)
        std::cerr << "udmaview: frame " << seq << " presented\n";
}

void Presenter::on_input(const InputEvent& event) {
    source_.send_input(event);
}

void Presenter::on_quit() {
    quit_ = true;
}

void Presenter::on_output_error(const Error& error) {
    error_ = error;
}

} // namespace udmaview
