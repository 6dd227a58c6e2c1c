// SPDX-License-Identifier: MIT
#include <climits>
#include <cstring>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include "qemu_test_layout.h"
#include "sources/qemu/mapped_scanout.h"
#include "sources/qemu/pixman_format.h"
#include "udmaview/memfd.h"

using namespace udmaview;
using namespace udmaview::qemu;
using namespace udmaview::qemu::test;

namespace {

// A memfd made the way QEMU makes its surfaces: no MFD_ALLOW_SEALING, so it carries
// F_SEAL_SEAL and nothing else.
UniqueFd qemu_like_memfd(uint64_t size) {
    UniqueFd fd(::memfd_create("qemu-like", MFD_CLOEXEC));
    if (fd && ::ftruncate(fd.get(), off_t(size)) < 0)
        return UniqueFd();
    return fd;
}

} // namespace

TEST(QemuScanoutMap, AcceptsASurfaceThatFitsTheFile) {
    Result<Layout> l = check_scanout_map(640 * 480 * 4, 0, 640, 480, 2560, xrgb);
    ASSERT_TRUE(l) << l.error().message;
    EXPECT_EQ(l->width, 640u);
    EXPECT_EQ(l->stride, 2560u);
    EXPECT_EQ(l->format, format_from_pixman(xrgb));
    // An offset inside the file, ending exactly at its end.
    EXPECT_TRUE(check_scanout_map(4096 + 64 * 16, 4096, 16, 16, 64, xrgb));
}

TEST(QemuScanoutMap, RejectsRangesPastTheEndWithoutOverflow) {
    EXPECT_FALSE(check_scanout_map(640 * 480 * 4, 1, 640, 480, 2560, xrgb));
    EXPECT_FALSE(check_scanout_map(4096, 4096, 1, 1, 4, xrgb)); // offset at the end
    EXPECT_FALSE(check_scanout_map(4096, UINT32_MAX, 1, 1, 4, xrgb));
    // stride × height would wrap in 32 bits: 0xffffffff × 16384.
    Result<Layout> wrap = check_scanout_map(1 << 20, 0, 16, 16384, UINT32_MAX, xrgb);
    ASSERT_FALSE(wrap);
    EXPECT_NE(wrap.error().message.find("past the end"), std::string::npos) << wrap.error().message;
}

TEST(QemuScanoutMap, RejectsBadSizesStridesAndFormats) {
    const uint64_t big = 1ull << 40;
    EXPECT_FALSE(check_scanout_map(big, 0, 0, 480, 2560, xrgb));
    EXPECT_FALSE(check_scanout_map(big, 0, 640, 0, 2560, xrgb));
    EXPECT_FALSE(check_scanout_map(big, 0, 16385, 1, 16385 * 4, xrgb));
    EXPECT_FALSE(check_scanout_map(big, 0, 1, 16385, 4, xrgb));
    EXPECT_FALSE(check_scanout_map(big, 0, 640, 480, 640 * 4 - 1, xrgb));
    Result<Layout> unknown = check_scanout_map(big, 0, 640, 480, 2560, 0x12345678);
    ASSERT_FALSE(unknown);
    EXPECT_NE(unknown.error().message.find("unknown pixman format"), std::string::npos);
    // 16 bpp: 2 bytes per pixel is enough.
    EXPECT_TRUE(check_scanout_map(big, 0, 640, 480, 1280, pixman_code(16, 2, 0, 5, 6, 5)));
}

TEST(QemuScanoutMap, UpdateMapIsClippedToTheSurface) {
    const Layout l = xrgb_layout(640, 480);
    Result<Rect> inside = clip_update_map(l, {10, 20, 30, 40});
    ASSERT_TRUE(inside);
    EXPECT_EQ(*inside, (Rect{10, 20, 30, 40}));
    Result<Rect> across = clip_update_map(l, {-10, 470, 100, 100});
    ASSERT_TRUE(across);
    EXPECT_EQ(*across, (Rect{0, 470, 90, 10}));
    Result<Rect> huge = clip_update_map(l, {INT_MAX - 1, 0, INT_MAX, 1});
    EXPECT_FALSE(huge);
    Result<Rect> all = clip_update_map(l, {INT_MIN, INT_MIN, INT_MAX, INT_MAX});
    EXPECT_FALSE(all); // ends at -1 on both axes
    EXPECT_FALSE(clip_update_map(l, {640, 0, 10, 10}));
    EXPECT_FALSE(clip_update_map(l, {0, 480, 10, 10}));
    EXPECT_FALSE(clip_update_map(l, {-20, -20, 20, 20}));
    EXPECT_FALSE(clip_update_map(l, {0, 0, 0, 10}));
    EXPECT_FALSE(clip_update_map(l, {0, 0, 10, -1}));
}

TEST(QemuScanoutMap, SealsDecideWhetherUdmabufCanWork) {
    EXPECT_EQ(udmabuf_refusal(F_SEAL_SHRINK), "");
    EXPECT_EQ(udmabuf_refusal(F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL), "");
    EXPECT_NE(udmabuf_refusal(F_SEAL_SEAL).find("F_SEAL_SEAL"), std::string::npos);
    EXPECT_NE(udmabuf_refusal(0).find("F_SEAL_SHRINK"), std::string::npos);
    EXPECT_NE(udmabuf_refusal(F_SEAL_SHRINK | F_SEAL_WRITE), "");
    EXPECT_NE(udmabuf_refusal(F_SEAL_SHRINK | F_SEAL_FUTURE_WRITE), "");
}

TEST(QemuScanoutMap, AdoptsAQemuMemfdWithoutCopying) {
    const uint32_t w = 32, h = 8, stride = w * 4, offset = 4096 + 256;
    UniqueFd fd = qemu_like_memfd(offset + uint64_t(stride) * h);
    ASSERT_TRUE(fd);
    Result<unsigned> seals = Memfd::raw_seals(fd.get());
    ASSERT_TRUE(seals);
    EXPECT_EQ(*seals, unsigned(F_SEAL_SEAL)); // what QEMU's memfds carry
    const uint32_t pixel = 0x00a1b2c3;
    ASSERT_EQ(::pwrite(fd.get(), &pixel, 4, offset + stride * 2 + 4 * 3), 4);

    Result<std::unique_ptr<MappedScanout>> m =
        MappedScanout::adopt(std::move(fd), offset, w, h, stride, xrgb, nullptr);
    ASSERT_TRUE(m) << m.error().message;
    const Buffer& buf = *(*m)->buffer();
    EXPECT_EQ(buf.dmabuf(), nullptr);
    EXPECT_NE((*m)->no_dmabuf().find("F_SEAL_SEAL"), std::string::npos) << (*m)->no_dmabuf();
    ASSERT_EQ(buf.backing().size(), 1u);
    EXPECT_EQ(buf.backing()[0].offset, 4096u); // whole pages, layout points inside
    EXPECT_EQ(buf.layout().offset, 256u);
    EXPECT_EQ(buf.origin(), "qemu ScanoutMap");

    // Outputs see QEMU's bytes through the backing: the same file, not a copy.
    Result<Mapping> view = buf.map(PROT_READ);
    ASSERT_TRUE(view) << view.error().message;
    uint32_t seen = 0;
    std::memcpy(&seen, view->data() + buf.layout().offset + stride * 2 + 4 * 3, 4);
    EXPECT_EQ(seen, pixel);
    const uint32_t later = 0x00ffeedd;
    ASSERT_EQ(::pwrite(buf.backing()[0].memfd->get(), &later, 4, offset), 4);
    std::memcpy(&seen, view->data() + buf.layout().offset, 4);
    EXPECT_EQ(seen, later);
}

TEST(QemuScanoutMap, RefusesPipesAndShortFiles) {
    int p[2];
    ASSERT_EQ(::pipe2(p, O_CLOEXEC), 0);
    UniqueFd reader(p[0]), writer(p[1]);
    Result<std::unique_ptr<MappedScanout>> pipe =
        MappedScanout::adopt(std::move(reader), 0, 4, 4, 16, xrgb, nullptr);
    ASSERT_FALSE(pipe);
    EXPECT_NE(pipe.error().message.find("a pipe, not a memfd or regular file"), std::string::npos)
        << pipe.error().message;

    UniqueFd short_fd = qemu_like_memfd(4096);
    ASSERT_TRUE(short_fd);
    EXPECT_FALSE(MappedScanout::adopt(std::move(short_fd), 0, 64, 64, 256, xrgb, nullptr));
}
