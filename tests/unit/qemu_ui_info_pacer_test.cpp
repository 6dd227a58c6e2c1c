// SPDX-License-Identifier: MIT
// UiInfoPacer on a fake clock: debounce, the rate while sizes keep changing, never the same
// size twice in a row, and the wait for the guest's answer.
#include <gtest/gtest.h>

#include "sources/qemu/ui_info_pacer.h"

namespace udmaview::qemu {
namespace {

constexpr uint64_t ms = 1'000'000;

WantedSize size(uint32_t w, uint32_t h) {
    return {w, h, 0, 0};
}

// Runs the pacer the way UiInfoSender does: wakes at every deadline until until_ns and
// collects what it sends.
struct Clock {
    UiInfoPacer pacer;
    uint64_t now = 1000 * ms;
    std::vector<std::pair<uint64_t, WantedSize>> sent;
    std::vector<WantedSize> ignored;

    void advance_to(uint64_t t) {
        for (;;) {
            const uint64_t next = pacer.next_deadline();
            if (!next || next > t)
                break;
            now = std::max(now, next);
            poll();
        }
        now = t;
        poll();
    }
    void poll() {
        if (auto s = pacer.due(now))
            sent.emplace_back(now, *s);
        if (auto s = pacer.ignored(now))
            ignored.push_back(*s);
    }
    void want(uint32_t w, uint32_t h) {
        pacer.want(size(w, h), now);
        poll();
    }
};

TEST(UiInfoPacer, SendsAfterQuietTime) {
    Clock c;
    c.want(800, 600);
    EXPECT_TRUE(c.sent.empty()) << "sent at once, without waiting for the drag to stop";
    c.advance_to(c.now + 199 * ms);
    EXPECT_TRUE(c.sent.empty());
    c.advance_to(c.now + 1 * ms);
    ASSERT_EQ(c.sent.size(), 1u);
    EXPECT_EQ(c.sent[0].second, size(800, 600));
}

TEST(UiInfoPacer, DragSendsAHandfulAtMostEvery500ms) {
    Clock c;
    const uint64_t start = c.now;
    // A 3 s drag with a new size every 10 ms: 300 sizes.
    for (int i = 0; i < 300; ++i) {
        c.advance_to(start + uint64_t(i) * 10 * ms);
        c.want(800 + uint32_t(i), 600);
    }
    c.advance_to(c.now + 1000 * ms);
    ASSERT_GE(c.sent.size(), 5u);
    EXPECT_LE(c.sent.size(), 8u) << "a drag must send a handful of calls, not hundreds";
    for (size_t i = 1; i + 1 < c.sent.size(); ++i)
        EXPECT_GE(c.sent[i].first - c.sent[i - 1].first, 500 * ms) << "call " << i;
    EXPECT_EQ(c.sent.back().second, size(1099, 600)) << "the last size must be sent";
    EXPECT_LE(c.sent.back().first, start + 2990 * ms + 200 * ms)
        << "the last size must go out at most the quiet time after the drag stopped";
}

TEST(UiInfoPacer, NeverTheSameSizeTwiceInARow) {
    Clock c;
    c.want(800, 600);
    c.advance_to(c.now + 300 * ms);
    c.want(800, 600);
    c.advance_to(c.now + 300 * ms);
    // Away and back within the quiet time: the size to send is the one sent last.
    c.want(900, 600);
    c.want(800, 600);
    c.advance_to(c.now + 300 * ms);
    EXPECT_EQ(c.sent.size(), 1u);
    c.want(1024, 768);
    c.advance_to(c.now + 300 * ms);
    c.want(800, 600);
    c.advance_to(c.now + 300 * ms);
    ASSERT_EQ(c.sent.size(), 3u) << "a size sent before, but not last, goes out again";
    EXPECT_EQ(c.sent[2].second, size(800, 600));
}

TEST(UiInfoPacer, GuestThatIgnoresIsReportedOnceAfter10s) {
    Clock c;
    c.pacer.guest_size(1024, 768);
    c.want(800, 600);
    c.advance_to(c.now + 200 * ms);
    ASSERT_EQ(c.sent.size(), 1u);
    const uint64_t sent_at = c.sent[0].first;
    c.advance_to(sent_at + 9999 * ms);
    EXPECT_TRUE(c.ignored.empty());
    c.pacer.guest_size(1024, 768); // frames of the old size go on
    c.advance_to(sent_at + 10000 * ms);
    ASSERT_EQ(c.ignored.size(), 1u);
    EXPECT_EQ(c.ignored[0], size(800, 600));
    c.advance_to(sent_at + 30000 * ms);
    EXPECT_EQ(c.ignored.size(), 1u) << "one report per call";
    EXPECT_EQ(c.pacer.next_deadline(), 0u);
}

TEST(UiInfoPacer, GuestThatFollowsIsNotReported) {
    Clock c;
    c.pacer.guest_size(1024, 768);
    c.want(800, 600);
    c.advance_to(c.now + 200 * ms);
    c.advance_to(c.now + 3000 * ms);
    c.pacer.guest_size(800, 600);
    c.advance_to(c.now + 20000 * ms);
    EXPECT_TRUE(c.ignored.empty());
}

TEST(UiInfoPacer, SizeTheGuestHasIsSentButNotWaitedFor) {
    Clock c;
    c.pacer.guest_size(800, 600);
    c.want(800, 600);
    c.advance_to(c.now + 200 * ms);
    EXPECT_EQ(c.sent.size(), 1u);
    c.advance_to(c.now + 20000 * ms);
    EXPECT_TRUE(c.ignored.empty());
}

TEST(UiInfoPacer, DisabledSendsNothing) {
    Clock c;
    c.want(800, 600);
    c.pacer.disable();
    c.want(640, 480);
    c.advance_to(c.now + 20000 * ms);
    EXPECT_TRUE(c.sent.empty());
    EXPECT_TRUE(c.ignored.empty());
}

TEST(UiInfoPacer, ResetSendsTheSameSizeToANewSession) {
    Clock c;
    c.want(800, 600);
    c.advance_to(c.now + 200 * ms);
    c.pacer.reset();
    c.want(800, 600);
    c.advance_to(c.now + 200 * ms);
    EXPECT_EQ(c.sent.size(), 2u);
}

} // namespace
} // namespace udmaview::qemu
