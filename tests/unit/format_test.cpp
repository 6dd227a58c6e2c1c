// SPDX-License-Identifier: MIT
#include <gtest/gtest.h>

#include "udmaview/format.h"

using namespace udmaview;

TEST(Format, ParsesNamesAndFourccs) {
    for (const char* text : {"XR24", "xrgb8888", "XRGB8888", "XrGb8888"}) {
        Result<const Format*> f = parse_format(text);
        ASSERT_TRUE(f) << text;
        EXPECT_EQ((*f)->fourcc, make_fourcc('X', 'R', '2', '4'));
    }
    EXPECT_EQ((*parse_format("RG16"))->bytes_per_pixel, 2u);
    EXPECT_EQ((*parse_format("bgr888"))->bytes_per_pixel, 3u);
    EXPECT_EQ((*parse_format("AB24"))->name, "ABGR8888");
}

TEST(Format, RejectsUnknownWithListOfKnown) {
    for (const char* text : {"", "xr24", "YUYV", "XRGB888", "XRGB88888", "rgb", "XR24 "}) {
        Result<const Format*> f = parse_format(text);
        ASSERT_FALSE(f) << "'" << text << "' accepted";
        EXPECT_EQ(f.error().errnum, EINVAL);
        EXPECT_NE(f.error().message.find("XRGB8888 (XR24)"), std::string::npos);
    }
}

TEST(Format, TableHasRequiredFormats) {
    for (const char* name :
         {"XRGB8888", "ARGB8888", "XBGR8888", "ABGR8888", "RGB565", "BGR888", "RGB888"})
        EXPECT_TRUE(parse_format(name)) << name;
    for (const Format& f : all_formats()) {
        EXPECT_EQ(find_format(f.fourcc), &f);
        EXPECT_EQ(std::string(f.fourcc_string().data()).size(), 4u);
        EXPECT_EQ(f.bpp(), f.bytes_per_pixel * 8);
    }
    EXPECT_EQ(find_format(0), nullptr);
}

TEST(Format, MemoryOrderMatchesDrmFourcc) {
    const uint8_t red[4] = {255, 0, 0, 255};
    uint8_t p[4] = {};
    (*parse_format("XRGB8888"))->from_rgba8(red, p);
    EXPECT_EQ(p[0], 0);   // B
    EXPECT_EQ(p[2], 255); // R
    (*parse_format("XBGR8888"))->from_rgba8(red, p);
    EXPECT_EQ(p[0], 255); // R first in memory
    (*parse_format("RGB888"))->from_rgba8(red, p);
    EXPECT_EQ(p[2], 255); // [23:0] R:G:B little endian: B, G, R
    (*parse_format("BGR888"))->from_rgba8(red, p);
    EXPECT_EQ(p[0], 255);
    uint8_t q[2];
    (*parse_format("RGB565"))->from_rgba8(red, q);
    EXPECT_EQ(q[0], 0x00);
    EXPECT_EQ(q[1], 0xf8);
}

TEST(Format, RoundTripsEveryFormat) {
    for (const Format& f : all_formats()) {
        const uint8_t in[4] = {0xf8, 0x0c, 0x40, 0x80};
        uint8_t px[4] = {}, out[4] = {};
        f.from_rgba8(in, px);
        f.to_rgba8(px, out);
        const int g_tol = f.bytes_per_pixel == 2 ? 4 : 0, rb_tol = f.bytes_per_pixel == 2 ? 8 : 0;
        EXPECT_NEAR(out[0], in[0], rb_tol) << f.name;
        EXPECT_NEAR(out[1], in[1], g_tol) << f.name;
        EXPECT_NEAR(out[2], in[2], rb_tol) << f.name;
        EXPECT_EQ(out[3], f.has_alpha ? in[3] : 255) << f.name;
    }
}

TEST(Format, ExpandsFullScaleTo255) {
    const Format& f = **parse_format("RGB565");
    const uint8_t white[4] = {255, 255, 255, 255};
    uint8_t px[2], out[4];
    f.from_rgba8(white, px);
    f.to_rgba8(px, out);
    EXPECT_EQ(out[0], 255);
    EXPECT_EQ(out[1], 255);
    EXPECT_EQ(out[2], 255);
}
