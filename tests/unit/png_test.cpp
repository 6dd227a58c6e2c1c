// SPDX-License-Identifier: MIT
#include <fstream>
#include <gtest/gtest.h>

#include "temp_dir.h"
#include "udmaview/png.h"

using namespace udmaview;

TEST(Png, WriteReadRoundTrip) {
    RgbaImage img{3, 2, {}};
    for (int i = 0; i < 24; ++i)
        img.pixels.push_back(uint8_t(i * 10));
    const std::string path = temp_dir() + "/rt.png";
    ASSERT_TRUE(write_png(path, img));
    Result<RgbaImage> back = read_png(path);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->pixels, img.pixels);
}

TEST(Png, BadInputs) {
    EXPECT_FALSE(write_png(temp_dir() + "/e.png", RgbaImage{}));
    RgbaImage wrong{2, 2, std::vector<uint8_t>(3)};
    EXPECT_FALSE(write_png(temp_dir() + "/w.png", wrong));
    EXPECT_FALSE(write_png("/nonexistent-dir/x.png", RgbaImage{1, 1, {1, 2, 3, 4}}));
    EXPECT_FALSE(read_png("/nonexistent.png"));
    const std::string junk = temp_dir() + "/junk.png";
    std::ofstream(junk) << "not a png";
    EXPECT_FALSE(read_png(junk));
}

TEST(Png, ToRgbaHonoursStrideAndBottomUp) {
    const Format* f = *parse_format("XB24");
    Layout l{2, 2, 12, 4, f};
    l.y0_top = false;
    std::vector<uint8_t> bytes(4 + 24, 0);
    bytes[4 + 0] = 200; // row 0 (stored first) pixel 0: R = 200
    const RgbaImage img = to_rgba(l, bytes.data());
    EXPECT_EQ(img.at(0, 1)[0], 200) << "stored row 0 is the bottom row";
    EXPECT_EQ(img.at(0, 0)[0], 0);
}
