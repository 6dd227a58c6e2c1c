// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "udmaview/error.h"
#include "udmaview/output.h"
#include "udmaview/source.h"
#include "udmaview/timing.h"
#include "udmaview/unique_fd.h"

namespace udmaview {

struct PresenterOptions {
    uint64_t max_frames = 0;  // 0: unlimited; counts source frames
    uint64_t duration_ns = 0; // 0: unlimited
    bool verbose = false;
};

// Why run() returned.
enum class StopReason { FrameLimit, Duration, Signal, SourceEnded, Quit, Error };

// The one loop: polls the source, the output, a signalfd (SIGINT/SIGTERM/SIGHUP) and a
// timerfd; hands the latest frame to the output when it is not busy (older pending frames
// are dropped, their damage merged into the newer one) and records timing.
class Presenter : private SourceSink, private OutputSink {
public:
    Presenter(FrameSource& source, Output& output, TimingRecorder& timing,
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
    void on_frame(Frame frame) override;
    void on_buffer_retired(BufferId id) override;
    void on_source_end(const Status& why) override;
    void on_cursor(const CursorState& cursor) override { output_.set_cursor(cursor); }
    void on_presented(uint64_t seq, uint64_t presented_ns) override;
    void on_input(const InputEvent& event) override;
    void on_quit() override;
    void on_output_error(const Error& error) override;

    void submit_pending();
    void retire_unused();
    bool limit_reached() const;
    std::optional<StopReason> stop_reason() const;

    FrameSource& source_;
    Output& output_;
    TimingRecorder& timing_;
    PresenterOptions options_;

    std::optional<Frame> pending_; // newest frame not yet submitted
    std::optional<Frame> current_; // last submitted frame (kept alive while shown)
    std::vector<BufferId> retired_; // retired by the source, still on screen
    uint64_t frames_seen_ = 0;
    uint64_t last_presented_seq_ = 0;
    bool source_ended_ = false;
    bool quit_ = false;
    int stop_signal_ = 0;
    std::optional<Error> error_;
};

} // namespace udmaview
