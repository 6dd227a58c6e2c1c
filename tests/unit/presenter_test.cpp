// SPDX-License-Identifier: MIT
// Presenter logic against scripted stand-ins for a source and an output (the real ones are
// exercised in demo_test, headless_test and the e2e/vm suites).
#include <csignal>
#include <deque>
#include <functional>
#include <gtest/gtest.h>

#include "scripted_source.h"
#include "udmaview/presenter.h"

using namespace udmaview;

namespace {

using test::ScriptedSource;

std::shared_ptr<const Buffer> make_buffer() {
    return test::make_buffer("presenter-test");
}

// Busy from submit until `hold` dispatches later, then presents.
class SlowOutput : public Output {
public:
    int hold = 0;
    std::vector<Frame> submitted;
    std::vector<BufferId> retired;
    bool stopped = false;
    bool fail_submit = false;

    std::string name() const override { return "slow"; }
    Status start() override { return {}; }
    void stop() override { stopped = true; }
    uint64_t dispatch_interval_ns() const override { return 1'000'000; }
    bool busy() const override { return in_flight_ != 0; }
    void dispatch(OutputSink& sink) override {
        if (in_flight_ && --countdown_ <= 0) {
            sink.on_presented(in_flight_, 12345);
            in_flight_ = 0;
        }
    }
    Status submit(const Frame& frame, SubmitStats& stats, OutputSink& sink) override {
        if (fail_submit)
            return Error{"slow: refused", EIO};
        submitted.push_back(frame);
        stats.bytes_copied = 10;
        stats.path = "test";
        if (hold == 0) {
            sink.on_presented(frame.seq, 12345);
            return {};
        }
        in_flight_ = frame.seq;
        countdown_ = hold;
        return {};
    }
    void retire(BufferId id) override { retired.push_back(id); }

private:
    uint64_t in_flight_ = 0;
    int countdown_ = 0;
};

Frame frame(uint64_t seq, std::shared_ptr<const Buffer> buf, Rect damage) {
    return Frame{seq, std::move(buf), Region(damage), 1000 * seq};
}

UniqueFd signals() {
    Result<UniqueFd> fd = Presenter::block_signals();
    EXPECT_TRUE(fd);
    return std::move(fd).value();
}

} // namespace

TEST(Presenter, LatestFrameWinsAndDamageIsMerged) {
    auto buf = make_buffer();
    ScriptedSource src;
    SlowOutput out;
    out.hold = 3;
    src.steps.push_back([&](SourceSink& s) { s.on_frame(frame(1, buf, {0, 0, 16, 16})); });
    src.steps.push_back([&](SourceSink& s) {
        Frame two = frame(2, buf, {0, 0, 2, 2}), three = frame(3, buf, {8, 8, 2, 2});
        two.source_bytes_copied = 100; // e.g. QEMU Update pixels copied into our surface
        three.source_bytes_copied = 50;
        s.on_frame(std::move(two));
        s.on_frame(std::move(three));
        s.on_source_end({});
    });
    TimingRecorder timing("scripted", "slow");
    Presenter p(src, out, timing, {});
    Result<StopReason> r = p.run(signals());
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(*r, StopReason::SourceEnded);
    ASSERT_EQ(out.submitted.size(), 2u);
    EXPECT_EQ(out.submitted[1].seq, 3u);
    EXPECT_EQ(out.submitted[1].damage.area(), 8) << "frame 2's damage travels with frame 3";
    ASSERT_EQ(timing.records().size(), 3u);
    EXPECT_TRUE(timing.records()[1].dropped);
    EXPECT_FALSE(timing.records()[2].dropped);
    EXPECT_EQ(timing.records()[2].presented_ns, 12345u);
    EXPECT_EQ(timing.records()[2].bytes_copied, 50u + 10u) << "source copy + output copy";
    EXPECT_EQ(timing.records()[1].bytes_copied, 100u) << "a dropped frame's copy still counts";
    EXPECT_TRUE(src.stopped && out.stopped);
}

TEST(Presenter, StopsAtFrameLimitAfterLastIsPresented) {
    auto buf = make_buffer();
    ScriptedSource src;
    SlowOutput out;
    out.hold = 2;
    for (uint64_t i = 1; i <= 8; ++i)
        src.steps.push_back([&, i](SourceSink& s) { s.on_frame(frame(i, buf, {0, 0, 1, 1})); });
    TimingRecorder timing("scripted", "slow");
    Presenter p(src, out, timing, PresenterOptions{5, 0, false});
    Result<StopReason> r = p.run(signals());
    ASSERT_TRUE(r);
    EXPECT_EQ(*r, StopReason::FrameLimit);
    EXPECT_EQ(src.limit, 5u);
    EXPECT_EQ(timing.records().size(), 5u);
    EXPECT_NE(timing.records().back().presented_ns, 0u) << "the last frame must be shown";
}

TEST(Presenter, SignalStopsCleanly) {
    auto buf = make_buffer();
    ScriptedSource src;
    SlowOutput out;
    src.steps.push_back([&](SourceSink& s) {
        s.on_frame(frame(1, buf, {0, 0, 1, 1}));
        ::raise(SIGTERM); // blocked: arrives through the signalfd
    });
    TimingRecorder timing("scripted", "slow");
    Presenter p(src, out, timing, {});
    Result<StopReason> r = p.run(signals());
    ASSERT_TRUE(r);
    EXPECT_EQ(*r, StopReason::Signal);
    EXPECT_EQ(p.stop_signal(), SIGTERM);
    EXPECT_TRUE(out.stopped);
}

TEST(Presenter, DurationStopsAnIdleSource) {
    ScriptedSource src;
    SlowOutput out;
    TimingRecorder timing("scripted", "slow");
    Presenter p(src, out, timing, PresenterOptions{0, 50'000'000, false});
    Result<StopReason> r = p.run(signals());
    ASSERT_TRUE(r);
    EXPECT_EQ(*r, StopReason::Duration);
}

TEST(Presenter, OutputErrorEndsRunWithItsMessage) {
    auto buf = make_buffer();
    ScriptedSource src;
    SlowOutput out;
    out.fail_submit = true;
    src.steps.push_back([&](SourceSink& s) { s.on_frame(frame(1, buf, {0, 0, 1, 1})); });
    TimingRecorder timing("scripted", "slow");
    Presenter p(src, out, timing, {});
    Result<StopReason> r = p.run(signals());
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message, "slow: refused");
    EXPECT_TRUE(out.stopped && src.stopped);
}

TEST(Presenter, SourceErrorIsReported) {
    ScriptedSource src;
    SlowOutput out;
    src.steps.push_back([&](SourceSink& s) { s.on_source_end(Error{"peer vanished", EPIPE}); });
    TimingRecorder timing("scripted", "slow");
    Presenter p(src, out, timing, {});
    Result<StopReason> r = p.run(signals());
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message, "peer vanished");
}

TEST(Presenter, RetireWaitsUntilBufferLeavesTheScreen) {
    auto a = make_buffer(), b = make_buffer();
    ScriptedSource src;
    SlowOutput out;
    src.steps.push_back([&](SourceSink& s) { s.on_frame(frame(1, a, {0, 0, 1, 1})); });
    src.steps.push_back([&](SourceSink& s) { s.on_buffer_retired(a->id()); });
    src.steps.push_back([&](SourceSink& s) {
        EXPECT_TRUE(out.retired.empty()) << "a is still on screen";
        s.on_frame(frame(2, b, {0, 0, 16, 16}));
    });
    src.steps.push_back([&](SourceSink& s) { s.on_source_end({}); });
    TimingRecorder timing("scripted", "slow");
    Presenter p(src, out, timing, {});
    ASSERT_TRUE(p.run(signals()));
    ASSERT_EQ(out.retired.size(), 1u);
    EXPECT_EQ(out.retired[0], a->id());
}
