// SPDX-License-Identifier: MIT
#include <gtest/gtest.h>
#include <poll.h>
#include <string>
#include <thread>

#include "udmaview/event_queue.h"

using namespace udmaview;

namespace {

bool readable(int fd) {
    pollfd p{fd, POLLIN, 0};
    return ::poll(&p, 1, 0) == 1 && (p.revents & POLLIN);
}

} // namespace

TEST(EventQueue, ReadableOnlyWhileItemsWait) {
    EventQueue<int> q;
    ASSERT_TRUE(q.open("test"));
    ASSERT_GE(q.poll_fd(), 0);
    EXPECT_FALSE(readable(q.poll_fd()));
    q.post(1);
    EXPECT_TRUE(readable(q.poll_fd()));
    EXPECT_EQ(q.drain(), std::vector<int>{1});
    EXPECT_FALSE(readable(q.poll_fd()));
    EXPECT_TRUE(q.drain().empty());
}

TEST(EventQueue, DrainKeepsPostOrderAndMovesItems) {
    EventQueue<std::unique_ptr<std::string>> q;
    ASSERT_TRUE(q.open("test"));
    for (const char* s : {"a", "b", "c"})
        q.post(std::make_unique<std::string>(s));
    std::vector<std::unique_ptr<std::string>> items = q.drain();
    ASSERT_EQ(items.size(), 3u);
    EXPECT_EQ(*items[0] + *items[1] + *items[2], "abc");
}

TEST(EventQueue, PostsFromAnotherThreadAllArrive) {
    EventQueue<int> q;
    ASSERT_TRUE(q.open("test"));
    constexpr int n = 10000;
    std::thread producer([&] {
        for (int i = 0; i < n; ++i)
            q.post(i);
    });
    std::vector<int> got;
    while (got.size() < size_t(n)) {
        pollfd p{q.poll_fd(), POLLIN, 0};
        ASSERT_EQ(::poll(&p, 1, 5000), 1) << "no wake-up with " << got.size() << " items seen";
        for (int i : q.drain())
            got.push_back(i);
    }
    producer.join();
    for (int i = 0; i < n; ++i)
        ASSERT_EQ(got[size_t(i)], i);
    // The last post may have signalled after its item was already drained: one spurious
    // wake-up with nothing in it, then quiet.
    EXPECT_TRUE(q.drain().empty());
    EXPECT_FALSE(readable(q.poll_fd()));
}
