// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "udmaview/error.h"
#include "udmaview/output.h"
#include "udmaview/source.h"
#include "udmaview/timing.h"
#include "udmaview/unique_fd.h"

namespace udmaview {

struct PresenterOptions {
    uint64_t max_frames = 0;  // 0: unlimited; counts source frames (of each source)
    uint64_t duration_ns = 0; // 0: unlimited
    bool verbose = false;
    // How messages name each source ("--source #2 (demo)"); the source's name() when unset.
    std::vector<std::string> source_labels = {};
};

// Why run() returned.
enum class StopReason { FrameLimit, Duration, Signal, SourceEnded, Quit, Error };

// The one loop: polls the sources, the output, a signalfd (SIGINT/SIGTERM/SIGHUP) and a
// timerfd; hands each source's latest frame to the output when it is not busy (older pending
// frames of that source are dropped, their damage merged into the newer one) and records
// timing. With several sources every frame is tagged with its source's index, sequence numbers
// run per run, one source ending leaves the others going and the run ends when all have ended.
class Presenter : private OutputSink {
public:
    Presenter(FrameSource& source, Output& output, TimingRecorder& timing,
              PresenterOptions options);
    Presenter(const std::vector<FrameSource*>& sources, Output& output, TimingRecorder& timing,
              PresenterOptions options);
    ~Presenter() override;

    // Blocks SIGINT/SIGTERM/SIGHUP in the calling thread (do it before starting threads so
    // they inherit the mask) and returns a signalfd for them.
    static Result<UniqueFd> block_signals();

    // Runs until a stop condition; Error only for failures (a signal is a normal stop).
    Result<StopReason> run(UniqueFd signal_fd);
    const Error* last_error() const { return error_ ? &*error_ : nullptr; }
    int stop_signal() const { return stop_signal_; }

private:
    // One source and what the presenter holds of it.
    struct Lane : SourceSink {
        Lane(Presenter& presenter, uint32_t index, FrameSource& source)
            : presenter(presenter)
            , index(index)
            , source(source) {}
        void on_frame(Frame frame) override { presenter.on_frame(*this, std::move(frame)); }
        void on_buffer_retired(BufferId id) override;
        void on_source_end(const Status& why) override { presenter.on_source_end(*this, why); }
        void on_cursor(const CursorState& cursor) override;
        void on_size_refused(const WantedSize& size) override {
            presenter.output_.size_refused(index, size, presenter);
        }

        Presenter& presenter;
        uint32_t index;
        FrameSource& source;
        std::optional<Frame> pending;  // newest frame not yet submitted
        std::optional<Frame> current;  // last submitted frame (kept alive while shown)
        std::vector<BufferId> retired; // retired by the source, still on screen
        uint64_t frames_seen = 0;
        uint64_t shrunk_files = 0; // its buffer's file shrank under a guarded mapping
        bool ended = false;
    };

    void on_frame(Lane& lane, Frame frame);
    void on_source_end(Lane& lane, const Status& why);
    void on_presented(uint64_t seq, uint64_t presented_ns) override;
    void on_input(const InputEvent& event) override;
    void on_quit() override;
    void on_output_error(const Error& error) override;
    void on_size_wanted(uint32_t source, const WantedSize& size) override;
    const Frame* last_submitted() const override {
        return last_submitted_ && last_submitted_->current ? &*last_submitted_->current : nullptr;
    }

    Status start_sources();
    void submit_pending();
    void retire_unused(Lane& lane);
    // Ends every source whose buffer's file faulted under the SigbusGuard since last time.
    void end_shrunk_sources();
    static std::optional<std::string> shrunk_file(const Lane& lane, uint64_t since);
    bool limit_reached(const Lane& lane) const;
    std::optional<StopReason> stop_reason() const;
    std::string label(const Lane& lane) const;

    std::vector<std::unique_ptr<Lane>> lanes_;
    Output& output_;
    TimingRecorder& timing_;
    PresenterOptions options_;

    uint64_t run_seq_ = 0; // several sources: the run's frame numbers
    Lane* last_submitted_ = nullptr;
    // Where the next submit round starts: an output that takes one frame at a time (a page
    // flip in flight) serves the sources in turn, so a busy first source cannot starve the rest.
    size_t next_lane_ = 0;
    uint64_t seen_sigbus_faults_ = 0;
    bool quit_ = false;
    int stop_signal_ = 0;
    std::optional<Error> error_;
    std::optional<Error> end_error_; // several sources: the last one that ended with an error
};

} // namespace udmaview
