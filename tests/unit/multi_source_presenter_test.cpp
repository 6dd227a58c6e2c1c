// SPDX-License-Identifier: MIT
// The presenter with several sources, against scripted stand-ins: frames tagged with their
// source, run-wide sequence numbers, latest-wins per source only, one flush per round, input
// to the focused source, independent ends, --frames per source, a source that cannot start.
#include <deque>
#include <functional>
#include <gtest/gtest.h>
#include <utility>

#include "scripted_source.h"
#include "udmaview/presenter.h"

using namespace udmaview;

namespace {

std::shared_ptr<const Buffer> make_buffer() {
    return test::make_buffer("multi-presenter-test");
}

using Scripted = test::ScriptedSource;

// Presents in flush(), like the SDL window with tiles; sends one key on its first dispatch.
class TileOutput : public Output {
public:
    std::vector<Frame> submitted;
    std::vector<uint64_t> unshown;
    std::vector<uint32_t> ended;
    uint32_t focus = 0;
    int flushes = 0;
    bool send_key = false;

    std::string name() const override { return "tiles"; }
    Status start() override { return {}; }
    void stop() override {}
    uint64_t dispatch_interval_ns() const override { return 1'000'000; }
    bool busy() const override { return false; }
    void dispatch(OutputSink& sink) override {
        if (send_key) {
            send_key = false;
            sink.on_input(KeyEvent{30, true});
        }
    }
    Status submit(const Frame& frame, SubmitStats&, OutputSink&) override {
        submitted.push_back(frame);
        unshown.push_back(frame.seq);
        return {};
    }
    void flush(OutputSink& sink) override {
        ++flushes;
        for (uint64_t seq : unshown)
            sink.on_presented(seq, 777);
        unshown.clear();
    }
    void retire(BufferId) override {}
    uint32_t input_source() const override { return focus; }
    void source_ended(uint32_t source) override { ended.push_back(source); }
};

// Takes one frame at a time, like a page flip: busy from submit to its next dispatch.
class FlipOutput : public Output {
public:
    std::vector<uint32_t> sources; // of the frames submitted, in order

    std::string name() const override { return "flip"; }
    Status start() override { return {}; }
    void stop() override {}
    uint64_t dispatch_interval_ns() const override { return 1'000'000; }
    bool busy() const override { return in_flight_ != 0; }
    void dispatch(OutputSink& sink) override {
        if (in_flight_)
            sink.on_presented(std::exchange(in_flight_, 0), 555);
    }
    Status submit(const Frame& frame, SubmitStats&, OutputSink&) override {
        sources.push_back(frame.source);
        in_flight_ = frame.seq;
        return {};
    }
    void retire(BufferId) override {}

private:
    uint64_t in_flight_ = 0;
};

UniqueFd signals() {
    Result<UniqueFd> fd = Presenter::block_signals();
    EXPECT_TRUE(fd);
    return std::move(fd).value();
}

auto emit(std::shared_ptr<const Buffer> buf, uint64_t seq, Rect damage) {
    return [buf, seq, damage](SourceSink& s) {
        s.on_frame(Frame{seq, buf, Region(damage), 1000 * seq});
    };
}

} // namespace

TEST(MultiSourcePresenter, TagsFramesLatestWinsPerSourceAndFlushesOncePerRound) {
    Scripted a, b;
    auto ba = make_buffer(), bb = make_buffer();
    // Round 1: a sends two frames (the first is dropped, its damage merged), b one.
    a.steps.push_back([&](SourceSink& s) {
        emit(ba, 1, {0, 0, 2, 2})(s);
        emit(ba, 2, {4, 4, 2, 2})(s);
    });
    a.steps.push_back([](SourceSink& s) { s.on_source_end({}); });
    b.steps.push_back(emit(bb, 1, {8, 8, 1, 1}));
    b.steps.push_back([](SourceSink& s) { s.on_source_end({}); });
    TileOutput out;
    TimingRecorder timing("a + b", "tiles");
    timing.set_source_names({"a", "b"});
    Presenter p({&a, &b}, out, timing, {});
    Result<StopReason> r = p.run(signals());
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(*r, StopReason::SourceEnded);
    ASSERT_EQ(out.submitted.size(), 2u);
    EXPECT_EQ(out.submitted[0].source, 0u);
    EXPECT_EQ(out.submitted[0].damage.area(), 8); // a's two frames: 2x2 + 2x2
    EXPECT_EQ(out.submitted[1].source, 1u);
    EXPECT_EQ(out.submitted[1].damage.area(), 1); // b's frame did not take a's damage
    EXPECT_NE(out.submitted[0].seq, out.submitted[1].seq);
    EXPECT_EQ(out.flushes, 1); // one present for the round
    ASSERT_EQ(timing.records().size(), 3u);
    EXPECT_TRUE(timing.records()[0].dropped);
    for (const FrameRecord& rec : timing.records())
        EXPECT_TRUE(rec.dropped || rec.presented_ns == 777) << rec.seq;
    const TimingSummary s = timing.summary();
    ASSERT_EQ(s.sources.size(), 2u);
    EXPECT_EQ(s.sources[0].frames, 2u);
    EXPECT_EQ(s.sources[0].presented, 1u);
    EXPECT_EQ(s.sources[1].frames, 1u);
    EXPECT_TRUE(out.ended == (std::vector<uint32_t>{0, 1})); // each end shown in its tile
}

TEST(MultiSourcePresenter, OneSourceEndingLeavesTheOtherGoingAndInputGoesToTheFocus) {
    Scripted a, b;
    auto ba = make_buffer(), bb = make_buffer();
    a.steps.push_back([](SourceSink& s) { s.on_source_end(Error{"qemu: went away", EPIPE}); });
    for (uint64_t n = 1; n <= 5; ++n)
        b.steps.push_back(emit(bb, n, {0, 0, 1, 1}));
    b.steps.push_back([](SourceSink& s) { s.on_source_end({}); });
    TileOutput out;
    out.focus = 1;
    out.send_key = true;
    TimingRecorder timing("a + b", "tiles");
    PresenterOptions options;
    options.source_labels = {"--source #1 (a)", "--source #2 (b)"};
    Presenter p({&a, &b}, out, timing, options);
    Result<StopReason> r = p.run(signals());
    // Every source ended and one with an error: the run reports it (exit status 1).
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("went away"), std::string::npos);
    EXPECT_EQ(out.submitted.size(), 5u); // b went on after a ended
    EXPECT_TRUE(a.input.empty());
    EXPECT_EQ(b.input.size(), 1u);
}

TEST(MultiSourcePresenter, FramesCountsEachSource) {
    Scripted a, b;
    auto ba = make_buffer(), bb = make_buffer();
    for (uint64_t n = 1; n <= 6; ++n)
        a.steps.push_back(emit(ba, n, {0, 0, 1, 1}));
    b.steps.push_back([&](SourceSink&) {}); // b is late
    for (uint64_t n = 1; n <= 3; ++n)
        b.steps.push_back(emit(bb, n, {0, 0, 1, 1}));
    TileOutput out;
    TimingRecorder timing("a + b", "tiles");
    Presenter p({&a, &b}, out, timing, PresenterOptions{2, 0, false});
    Result<StopReason> r = p.run(signals());
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(*r, StopReason::FrameLimit);
    EXPECT_EQ(a.limit, 2u);
    size_t per[2] = {0, 0};
    for (const FrameRecord& rec : timing.records())
        ++per[rec.source];
    EXPECT_EQ(per[0], 2u);
    EXPECT_EQ(per[1], 2u); // the run waited for b's second frame
}

TEST(MultiSourcePresenter, ASourceThatCannotStartIsNamed) {
    Scripted a, b;
    b.start_status = Error{"region /x: cannot open", ENOENT};
    TileOutput out;
    TimingRecorder timing("a + b", "tiles");
    PresenterOptions options;
    options.source_labels = {"--source #1 (demo)", "--source #2 (region:/x,size=8x8)"};
    Presenter p({&a, &b}, out, timing, options);
    Result<StopReason> r = p.run(signals());
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message,
              "--source #2 (region:/x,size=8x8) did not start: region /x: cannot open");
}

TEST(MultiSourcePresenter, AnOutputThatTakesOneFrameAtATimeServesTheSourcesInTurn) {
    // Both sources have a new frame every round and the output shows one per round: a fixed
    // order would show only the first source until it ends.
    Scripted a, b;
    auto ba = make_buffer(), bb = make_buffer();
    for (uint64_t n = 1; n <= 6; ++n) {
        a.steps.push_back(emit(ba, n, {0, 0, 1, 1}));
        b.steps.push_back(emit(bb, n, {0, 0, 1, 1}));
    }
    a.steps.push_back([](SourceSink& s) { s.on_source_end({}); });
    b.steps.push_back([](SourceSink& s) { s.on_source_end({}); });
    FlipOutput out;
    TimingRecorder timing("a + b", "flip");
    Presenter p({&a, &b}, out, timing, {});
    Result<StopReason> r = p.run(signals());
    ASSERT_TRUE(r) << r.error().message;
    ASSERT_GE(out.sources.size(), 6u);
    for (size_t i = 0; i < 6; ++i)
        EXPECT_EQ(out.sources[i], uint32_t(i % 2)) << "submit " << i;
}
