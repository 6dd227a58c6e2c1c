// SPDX-License-Identifier: MIT
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "udmaview/unique_fd.h"

using udmaview::UniqueFd;

namespace {
bool is_open(int fd) {
    return ::fcntl(fd, F_GETFD) >= 0;
}
} // namespace

TEST(UniqueFd, ClosesOnDestruction) {
    int raw = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    ASSERT_GE(raw, 0);
    {
        UniqueFd fd(raw);
        EXPECT_TRUE(fd.valid());
    }
    EXPECT_FALSE(is_open(raw));
}

TEST(UniqueFd, MoveTransfersOwnership) {
    UniqueFd a(::open("/dev/null", O_RDONLY | O_CLOEXEC));
    const int raw = a.get();
    UniqueFd b(std::move(a));
    EXPECT_FALSE(a.valid());
    EXPECT_EQ(b.get(), raw);
    UniqueFd c;
    c = std::move(b);
    EXPECT_EQ(c.get(), raw);
    EXPECT_TRUE(is_open(raw));
    c = UniqueFd();
    EXPECT_FALSE(is_open(raw));
}

TEST(UniqueFd, SelfMoveAssignKeepsFd) {
    UniqueFd a(::open("/dev/null", O_RDONLY | O_CLOEXEC));
    const int raw = a.get();
    UniqueFd& alias = a;
    a = std::move(alias);
    EXPECT_EQ(a.get(), raw);
    EXPECT_TRUE(is_open(raw));
}

TEST(UniqueFd, ReleaseDoesNotClose) {
    UniqueFd a(::open("/dev/null", O_RDONLY | O_CLOEXEC));
    int raw = a.release();
    EXPECT_FALSE(a.valid());
    EXPECT_TRUE(is_open(raw));
    UniqueFd again(raw); // closes it
}

TEST(UniqueFd, DupGivesIndependentOwner) {
    UniqueFd a(::open("/dev/null", O_RDONLY | O_CLOEXEC));
    UniqueFd b = a.dup();
    ASSERT_TRUE(b.valid());
    EXPECT_NE(a.get(), b.get());
    const int raw_b = b.get();
    a.reset();
    EXPECT_TRUE(is_open(raw_b));
}

TEST(UniqueFd, DupOfInvalidFails) {
    UniqueFd none;
    EXPECT_FALSE(none.dup().valid());
    EXPECT_EQ(errno, EBADF);
}
