// SPDX-License-Identifier: MIT
// The page flip in flight and the frames it carries: one flip of a round of several sources
// reports each of its frames presented once, at the flip event's time.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "outputs/kms/flip_in_flight.h"

using namespace udmaview;
using namespace udmaview::kms;

namespace {

class RecordingSink : public OutputSink {
public:
    std::vector<std::pair<uint64_t, uint64_t>> presented; // seq, presented_ns
    void on_presented(uint64_t seq, uint64_t presented_ns) override {
        presented.emplace_back(seq, presented_ns);
    }
    void on_input(const InputEvent&) override {}
    void on_quit() override {}
    void on_output_error(const Error&) override {}
};

} // namespace

TEST(KmsFlip, OneFlipReportsEveryFrameOfTheRoundOnceAtItsTime) {
    FlipInFlight inflight;
    EXPECT_FALSE(inflight.busy());
    inflight.queued(Flip{{7, 8, 9}, 42, -1});
    EXPECT_TRUE(inflight.busy());
    EXPECT_EQ(inflight.fb_id(), 42u);

    RecordingSink sink;
    std::optional<Flip> done = inflight.complete();
    ASSERT_TRUE(done);
    EXPECT_EQ(done->fb_id, 42u);
    done->report(1'000'000, sink);
    EXPECT_THAT(sink.presented,
                ::testing::ElementsAre(std::pair<uint64_t, uint64_t>{7, 1'000'000},
                                       std::pair<uint64_t, uint64_t>{8, 1'000'000},
                                       std::pair<uint64_t, uint64_t>{9, 1'000'000}));
    EXPECT_FALSE(inflight.busy());
    EXPECT_EQ(inflight.fb_id(), 0u);
    // A second event completes nothing: no frame is reported twice.
    EXPECT_FALSE(inflight.complete());
}

TEST(KmsFlip, ARedrawFlipReportsNothing) {
    FlipInFlight inflight;
    inflight.queued(Flip{{}, 5, -1});
    std::optional<Flip> done = inflight.complete();
    ASSERT_TRUE(done);
    RecordingSink sink;
    done->report(2'000'000, sink);
    EXPECT_TRUE(sink.presented.empty());
}

TEST(KmsFlip, EachFlipReportsOnlyItsOwnFrames) {
    FlipInFlight inflight;
    RecordingSink sink;
    inflight.queued(Flip{{1, 2}, 10, -1});
    inflight.complete()->report(100, sink);
    inflight.queued(Flip{{3}, 11, 1});
    std::optional<Flip> second = inflight.complete();
    ASSERT_TRUE(second);
    EXPECT_EQ(second->dumb_index, 1);
    second->report(200, sink);
    EXPECT_THAT(sink.presented, ::testing::ElementsAre(std::pair<uint64_t, uint64_t>{1, 100},
                                                       std::pair<uint64_t, uint64_t>{2, 100},
                                                       std::pair<uint64_t, uint64_t>{3, 200}));
}
