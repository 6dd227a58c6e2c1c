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
#include <utility>

#include "udmaview/clock.h"
#include "udmaview/sigbus_guard.h"

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

// The shorter of two dispatch intervals, 0 meaning none.
uint64_t poll_interval(uint64_t a_ns, uint64_t b_ns) {
    return a_ns && (!b_ns || a_ns < b_ns) ? a_ns : b_ns;
}

// poll()'s timeout for a dispatch interval (0: none, wait for an event), at least 1 ms.
int poll_timeout_ms(uint64_t interval_ns) {
    if (!interval_ns)
        return -1;
    return int(std::max<uint64_t>(1, (interval_ns + 999'999) / 1'000'000));
}

} // namespace

Presenter::Presenter(FrameSource& source, Output& output, TimingRecorder& timing,
                     PresenterOptions options)
    : Presenter(std::vector<FrameSource*>{&source}, output, timing, std::move(options)) {}

Presenter::Presenter(const std::vector<FrameSource*>& sources, Output& output,
                     TimingRecorder& timing, PresenterOptions options)
    : output_(output)
    , timing_(timing)
    , options_(std::move(options))
    , seen_sigbus_faults_(SigbusGuard::faults()) {
    for (FrameSource* source : sources)
        lanes_.push_back(std::make_unique<Lane>(*this, uint32_t(lanes_.size()), *source));
}

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

std::string Presenter::label(const Lane& lane) const {
    if (lane.index < options_.source_labels.size())
        return options_.source_labels[lane.index];
    return lane.source.name();
}

bool Presenter::limit_reached(const Lane& lane) const {
    return options_.max_frames && lane.frames_seen >= options_.max_frames;
}

std::optional<StopReason> Presenter::stop_reason() const {
    if (error_)
        return StopReason::Error;
    if (quit_)
        return StopReason::Quit;
    const bool drained = !output_.busy() && std::none_of(lanes_.begin(), lanes_.end(),
                                                         [](const auto& l) { return l->pending; });
    bool all_done = true, any_limit = false;
    for (const auto& lane : lanes_) {
        any_limit = any_limit || limit_reached(*lane);
        all_done = all_done && (lane->ended || limit_reached(*lane));
    }
    if (!all_done || !drained)
        return std::nullopt;
    return any_limit ? StopReason::FrameLimit : StopReason::SourceEnded;
}

Status Presenter::start_sources() {
    for (auto& lane : lanes_) {
        if (Status s = lane->source.start(); !s) {
            for (auto& started : lanes_) {
                if (started == lane)
                    break;
                started->source.stop();
            }
            if (lanes_.size() == 1)
                return s;
            return Error{label(*lane) + " did not start: " + s.error().message, s.error().errnum};
        }
    }
    return {};
}

Result<StopReason> Presenter::run(UniqueFd signal_fd) {
    if (options_.max_frames)
        for (auto& lane : lanes_)
            lane->source.set_frame_limit(options_.max_frames);
    if (Status s = output_.start(); !s)
        return s.error();
    if (Status s = start_sources(); !s) {
        output_.stop();
        return s.error();
    }
    UniqueFd deadline;
    if (options_.duration_ns)
        deadline = make_deadline_timer(options_.duration_ns);

    std::optional<StopReason> reason;
    // Polled so that a guarded SIGBUS in another thread (an output's) wakes the loop.
    const int sigbus_fd = SigbusGuard::notify_fd();
    std::vector<pollfd> fds(4 + lanes_.size());
    while (!(reason = stop_reason())) {
        fds[0] = {signal_fd.get(), POLLIN, 0};
        fds[1] = {deadline.get(), POLLIN, 0};
        fds[2] = {output_.poll_fd(), POLLIN, 0};
        fds[3] = {sigbus_fd, POLLIN, 0};
        uint64_t interval = output_.dispatch_interval_ns();
        for (size_t i = 0; i < lanes_.size(); ++i) {
            const Lane& lane = *lanes_[i];
            fds[4 + i] = {lane.ended ? -1 : lane.source.poll_fd(), POLLIN, 0};
            if (!lane.ended)
                interval = poll_interval(interval, lane.source.dispatch_interval_ns());
        }
        int n = ::poll(fds.data(), nfds_t(fds.size()), poll_timeout_ms(interval));
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
        for (size_t i = 0; i < lanes_.size(); ++i) {
            Lane& lane = *lanes_[i];
            if (!lane.ended && ((fds[4 + i].revents & (POLLIN | POLLHUP | POLLERR)) ||
                                lane.source.dispatch_interval_ns()))
                lane.source.dispatch(lane);
        }
        if ((fds[2].revents & (POLLIN | POLLHUP | POLLERR)) || output_.dispatch_interval_ns())
            output_.dispatch(*this);
        end_shrunk_sources();
        submit_pending();
    }

    for (auto& lane : lanes_)
        lane->source.stop();
    Status finished = output_.finish(last_submitted());
    end_shrunk_sources(); // finish() may have read the last frame (a PNG dump) first
    for (auto& lane : lanes_) {
        // final once the source has stopped
        SourceCounters counters = lane->source.counters();
        if (lane->shrunk_files)
            counters.emplace_back("shrunk_files", lane->shrunk_files);
        timing_.set_source_counters(lane->index, std::move(counters));
    }
    timing_.set_output_counters(output_.counters());
    output_.stop();
    if (error_)
        return *error_;
    if (!finished)
        return finished.error();
    if (*reason == StopReason::SourceEnded && end_error_)
        return *end_error_;
    return *reason;
}

void Presenter::on_frame(Lane& lane, Frame frame) {
    if (limit_reached(lane) || lane.ended)
        return;
    ++lane.frames_seen;
    if (lanes_.size() > 1)
        frame.seq = ++run_seq_; // outputs report presentation by seq: one number per run
    frame.source = lane.index;
    FrameRecord record;
    record.seq = frame.seq;
    record.source = lane.index;
    record.buffer_id = frame.buffer ? frame.buffer->id() : 0;
    record.produced_ns = frame.produced_ns ? frame.produced_ns : now_ns();
    record.damage_rects = uint32_t(frame.damage.rects().size());
    record.damage_pixels = uint64_t(frame.damage.area());
    record.bytes_copied = frame.source_bytes_copied; // spent even if the frame is dropped
    timing_.add(record);
    if (lane.pending) {
        // Latest wins: the older frame is never shown, but what it changed still has to be.
        if (FrameRecord* old = timing_.find(lane.pending->seq))
            old->dropped = true;
        frame.damage.add(lane.pending->damage);
    }
    lane.pending = std::move(frame);
}

void Presenter::submit_pending() {
    bool submitted = false;
    const size_t first = next_lane_;
    for (size_t k = 0; k < lanes_.size(); ++k) {
        Lane& lane = *lanes_[(first + k) % lanes_.size()];
        if (!lane.pending)
            continue;
        if (output_.busy())
            break;
        Frame frame = std::move(*lane.pending);
        lane.pending.reset();
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
        lane.current = std::move(frame);
        last_submitted_ = &lane;
        next_lane_ = (lane.index + 1) % lanes_.size();
        submitted = true;
        retire_unused(lane);
    }
    if (submitted)
        output_.flush(*this);
}

void Presenter::retire_unused(Lane& lane) {
    const BufferId shown = lane.current && lane.current->buffer ? lane.current->buffer->id() : 0;
    std::erase_if(lane.retired, [&](BufferId id) {
        if (id == shown)
            return false;
        output_.retire(id);
        return true;
    });
}

void Presenter::Lane::on_buffer_retired(BufferId id) {
    retired.push_back(id);
    presenter.retire_unused(*this);
}

void Presenter::Lane::on_cursor(const CursorState& cursor) {
    // One pointer on screen: the focused source's.
    if (presenter.lanes_.size() == 1 || presenter.output_.input_source() == index)
        presenter.output_.set_cursor(cursor);
}

void Presenter::on_source_end(Lane& lane, const Status& why) {
    lane.ended = true;
    if (lanes_.size() == 1) {
        if (!why)
            error_ = why.error();
        return;
    }
    // One source ending leaves the others going; its tile says so, unless it only stopped
    // at --frames (as the presenter asked it to).
    if (!limit_reached(lane))
        output_.source_ended(lane.index);
    if (!why) {
        std::cerr << "udmaview: " << label(lane) << " ended: " << why.error().message
                  << "; the other sources go on\n";
        end_error_ = why.error();
    } else if (options_.verbose) {
        std::cerr << "udmaview: " << label(lane) << " ended\n";
    }
}

std::optional<std::string> Presenter::shrunk_file(const Lane& lane, uint64_t since) {
    for (const std::optional<Frame>* frame : {&lane.pending, &lane.current}) {
        if (!*frame || !(*frame)->buffer)
            continue;
        for (const Backing& b : (*frame)->buffer->backing())
            if (std::optional<std::string> name = SigbusGuard::faulted_file(b.memfd->get(), since))
                return name;
    }
    return std::nullopt;
}

void Presenter::end_shrunk_sources() {
    const uint64_t faults = SigbusGuard::faults();
    if (faults == seen_sigbus_faults_)
        return;
    const uint64_t since = std::exchange(seen_sigbus_faults_, faults);
    SigbusGuard::acknowledge();
    for (auto& lane : lanes_) {
        if (lane->ended)
            continue;
        const std::optional<std::string> file = shrunk_file(*lane, since);
        if (!file)
            continue;
        // Its pages read as zeros now: never show them as the source's picture.
        if (lane->pending)
            if (FrameRecord* r = timing_.find(lane->pending->seq))
                r->dropped = true;
        lane->pending.reset();
        ++lane->shrunk_files;
        on_source_end(*lane,
                      Error{*file + " shrank while the viewer had it mapped (reading it raised "
                                    "SIGBUS; its pages now read as zeros): the process that owns "
                                    "the file truncated it while sharing it; it must keep the "
                                    "file's size or seal it with F_SEAL_SHRINK",
                            EIO});
    }
}

void Presenter::on_presented(uint64_t seq, uint64_t presented_ns) {
    if (FrameRecord* r = timing_.find(seq))
        r->presented_ns = presented_ns;
    if (options_.verbose)
        std::cerr << "udmaview: frame " << seq << " presented\n";
}

void Presenter::on_input(const InputEvent& event) {
    const uint32_t to = output_.input_source();
    if (to < lanes_.size() && !lanes_[to]->ended)
        lanes_[to]->source.send_input(event);
}

void Presenter::on_size_wanted(uint32_t source, const WantedSize& size) {
    if (source < lanes_.size() && !lanes_[source]->ended)
        lanes_[source]->source.request_size(size);
}

void Presenter::on_quit() {
    quit_ = true;
}

void Presenter::on_output_error(const Error& error) {
    error_ = error;
}

} // namespace udmaview
