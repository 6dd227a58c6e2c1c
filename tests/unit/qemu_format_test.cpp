// SPDX-License-Identifier: MIT
#include <gtest/gtest.h>

#include "sources/qemu/pixman_format.h"

using namespace udmaview;
using namespace udmaview::qemu;

TEST(QemuPixmanFormat, XRGB8888IsWhatQemuSends) {
    EXPECT_EQ(pixman_x8r8g8b8, 0x20020888u);
    const Format* f = format_from_pixman(0x20020888u);
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->fourcc, make_fourcc('X', 'R', '2', '4'));
}

TEST(QemuPixmanFormat, TableMatchesDrmFormats) {
    struct Case {
        uint32_t pixman;
        uint32_t fourcc;
    } cases[] = {
        {pixman_code(32, 2, 8, 8, 8, 8), make_fourcc('A', 'R', '2', '4')},
        {pixman_code(32, 3, 0, 8, 8, 8), make_fourcc('X', 'B', '2', '4')},
        {pixman_code(32, 3, 8, 8, 8, 8), make_fourcc('A', 'B', '2', '4')},
        {pixman_code(32, 8, 0, 8, 8, 8), make_fourcc('B', 'X', '2', '4')},
        {pixman_code(32, 9, 0, 8, 8, 8), make_fourcc('R', 'X', '2', '4')},
        {pixman_code(24, 2, 0, 8, 8, 8), make_fourcc('R', 'G', '2', '4')},
        {pixman_code(24, 3, 0, 8, 8, 8), make_fourcc('B', 'G', '2', '4')},
        {pixman_code(16, 2, 0, 5, 6, 5), make_fourcc('R', 'G', '1', '6')},
    };
    for (const Case& c : cases) {
        const Format* f = format_from_pixman(c.pixman);
        ASSERT_NE(f, nullptr) << describe_pixman(c.pixman);
        EXPECT_EQ(f->fourcc, c.fourcc) << describe_pixman(c.pixman);
        EXPECT_EQ(f->bpp(), c.pixman >> 24);
    }
}

TEST(QemuPixmanFormat, SameChannelLayoutAsPixman) {
    // pixman a8r8g8b8 is the 32-bit word 0xAARRGGBB: red at bit 16, like DRM's ARGB8888.
    const Format* f = format_from_pixman(pixman_code(32, 2, 8, 8, 8, 8));
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->r_shift, 16);
    EXPECT_EQ(f->g_shift, 8);
    EXPECT_EQ(f->b_shift, 0);
    EXPECT_EQ(f->a_shift, 24);
}

TEST(QemuPixmanFormat, UnknownFormatsAreRefused) {
    EXPECT_EQ(format_from_pixman(0), nullptr);
    EXPECT_EQ(format_from_pixman(0x12345678u), nullptr);
    EXPECT_EQ(format_from_pixman(pixman_code(8, 2, 0, 3, 3, 2)), nullptr); // r3g3b2
    EXPECT_NE(describe_pixman(0x12345678u).find("unknown"), std::string::npos);
    EXPECT_NE(describe_pixman(0x20020888u).find("x8r8g8b8"), std::string::npos);
}
