// SPDX-License-Identifier: MIT
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include "udmaview/memfd.h"

using namespace udmaview;

TEST(Memfd, CreateSizesAndSeals) {
    Result<Memfd> m = Memfd::create("t", 3 * page_size());
    ASSERT_TRUE(m) << m.error().message;
    EXPECT_EQ(m->size(), 3 * page_size());
    Result<unsigned> seals = Memfd::raw_seals(m->fd());
    ASSERT_TRUE(seals);
    EXPECT_TRUE(*seals & F_SEAL_SHRINK);
    EXPECT_FALSE(*seals & F_SEAL_GROW);
    EXPECT_LT(::ftruncate(m->fd(), 1), 0) << "F_SEAL_SHRINK must stop truncation";
    EXPECT_EQ(::ftruncate(m->fd(), off_t(4 * page_size())), 0) << "growing is allowed";
}

TEST(Memfd, GrowSealBlocksGrowth) {
    Result<Memfd> m = Memfd::create("t", page_size(), Memfd::SealShrink | Memfd::SealGrow);
    ASSERT_TRUE(m);
    EXPECT_LT(::ftruncate(m->fd(), off_t(2 * page_size())), 0);
}

TEST(Memfd, ZeroSizeIsRejectedWithReason) {
    Result<Memfd> m = Memfd::create("zero", 0);
    ASSERT_FALSE(m);
    EXPECT_EQ(m.error().errnum, EINVAL);
    EXPECT_NE(m.error().message.find("size is 0"), std::string::npos);
}

TEST(Memfd, AbsurdSizeFails) {
    EXPECT_FALSE(Memfd::create("huge", UINT64_MAX));
}

TEST(Memfd, SealSealForbidsMoreSeals) {
    Result<Memfd> m = Memfd::create("t", page_size(), Memfd::SealShrink | Memfd::SealSeal);
    ASSERT_TRUE(m);
    Status s = m->add_seals(Memfd::SealGrow);
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().errnum, EPERM);
}

TEST(Memfd, MapSeesWritesThroughFd) {
    Result<Memfd> m = Memfd::create("t", page_size());
    ASSERT_TRUE(m);
    Result<Mapping> map = m->map(PROT_READ | PROT_WRITE);
    ASSERT_TRUE(map);
    const char text[] = "pixels";
    ASSERT_EQ(::pwrite(m->fd(), text, sizeof text, 100), ssize_t(sizeof text));
    EXPECT_STREQ(reinterpret_cast<const char*>(map->data() + 100), "pixels");
}

TEST(Memfd, MapUnalignedRangeStartsAtOffset) {
    Result<Memfd> m = Memfd::create("t", 2 * page_size());
    ASSERT_TRUE(m);
    uint8_t byte = 0x5a;
    ASSERT_EQ(::pwrite(m->fd(), &byte, 1, off_t(page_size() + 7)), 1);
    Result<Mapping> map = m->map_range(page_size() + 7, 10, PROT_READ);
    ASSERT_TRUE(map);
    EXPECT_EQ(map->size(), 10u);
    EXPECT_EQ(map->data()[0], 0x5a);
}

TEST(Memfd, MapRangeOutsideFileIsRejected) {
    Result<Memfd> m = Memfd::create("t", page_size());
    ASSERT_TRUE(m);
    EXPECT_FALSE(m->map_range(0, 2 * page_size(), PROT_READ));
    EXPECT_FALSE(m->map_range(page_size(), 1, PROT_READ));
    EXPECT_FALSE(m->map_range(UINT64_MAX - 1, 4, PROT_READ));
    EXPECT_FALSE(m->map_range(0, 0, PROT_READ));
}

TEST(Memfd, RawSealsOfNonMemfdExplainsWhy) {
    int fds[2];
    ASSERT_EQ(::pipe2(fds, O_CLOEXEC), 0);
    UniqueFd r(fds[0]), w(fds[1]);
    Result<unsigned> seals = Memfd::raw_seals(r.get());
    ASSERT_FALSE(seals);
    EXPECT_NE(seals.error().message.find("not a memfd"), std::string::npos);
}

TEST(Memfd, AdoptReadsSizeAndRejectsNonFiles) {
    Result<Memfd> m = Memfd::create("t", 5 * page_size());
    ASSERT_TRUE(m);
    Result<UniqueFd> dup = m->dup_fd();
    ASSERT_TRUE(dup);
    Result<Memfd> adopted = Memfd::adopt(std::move(*dup), "adopted");
    ASSERT_TRUE(adopted);
    EXPECT_EQ(adopted->size(), 5 * page_size());

    int fds[2];
    ASSERT_EQ(::pipe2(fds, O_CLOEXEC), 0);
    UniqueFd w(fds[1]);
    EXPECT_FALSE(Memfd::adopt(UniqueFd(fds[0]), "pipe"));
    EXPECT_FALSE(Memfd::adopt(UniqueFd(), "none"));
}
