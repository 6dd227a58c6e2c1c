// SPDX-License-Identifier: MIT
#include <gtest/gtest.h>
#include <sys/mman.h>

#include "udmaview/dma_buf.h"
#include "udmaview/memfd.h"

using namespace udmaview;

TEST(DmaBuf, AdoptRejectsInvalidAndEmpty) {
    EXPECT_FALSE(DmaBuf::adopt(UniqueFd()));
    Result<Memfd> m = Memfd::create("t", page_size());
    ASSERT_TRUE(m);
    ASSERT_EQ(::ftruncate(m->fd(), 0), -1) << "shrink seal holds";
}

TEST(DmaBuf, AdoptReadsSizeBySeek) {
    Result<Memfd> m = Memfd::create("t", 3 * page_size());
    ASSERT_TRUE(m);
    Result<UniqueFd> fd = m->dup_fd();
    ASSERT_TRUE(fd);
    Result<DmaBuf> buf = DmaBuf::adopt(std::move(*fd));
    ASSERT_TRUE(buf);
    EXPECT_EQ(buf->size(), 3 * page_size());
}

TEST(DmaBuf, SyncOnNonDmaBufFailsWithMessage) {
    Result<Memfd> m = Memfd::create("t", page_size());
    ASSERT_TRUE(m);
    Result<UniqueFd> fd = m->dup_fd();
    ASSERT_TRUE(fd);
    DmaBuf not_really(std::move(*fd), page_size());
    Result<DmaBufSync> sync = DmaBufSync::begin(not_really, DmaBufSync::Read);
    ASSERT_FALSE(sync);
    EXPECT_NE(sync.error().message.find("DMA_BUF_IOCTL_SYNC"), std::string::npos);
}

TEST(DmaBuf, MapOfEmptyIsAnError) {
    DmaBuf empty;
    EXPECT_FALSE(empty.map(PROT_READ));
}
