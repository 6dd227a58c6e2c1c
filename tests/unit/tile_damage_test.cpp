// SPDX-License-Identifier: MIT
#include <gtest/gtest.h>
#include <random>
#include <string>
#include <vector>

#include "udmaview/tile_damage.h"

using namespace udmaview;

namespace {
constexpr uint32_t W = 200, H = 70, BPP = 4, STRIDE = W * BPP + 24;
}

TEST(TileDamage, FirstUpdateIsEverythingThenNothing) {
    std::vector<uint8_t> fb(STRIDE * H, 7);
    TileDamage td = *TileDamage::create(W, H, BPP, STRIDE);
    EXPECT_EQ(td.update(fb.data()), Region(Rect{0, 0, W, H}));
    EXPECT_TRUE(td.update(fb.data()).empty());
}

TEST(TileDamage, FindsEverySingleByteChange) {
    std::mt19937 rng(5);
    std::vector<uint8_t> fb(STRIDE * H);
    for (auto& b : fb)
        b = uint8_t(rng());
    TileDamage td = *TileDamage::create(W, H, BPP, STRIDE, 64, 16);
    (void)td.update(fb.data());
    for (int i = 0; i < 2000; ++i) {
        const uint32_t x = rng() % W, y = rng() % H, byte = rng() % BPP;
        fb[y * STRIDE + x * BPP + byte] ^= uint8_t(1 + rng() % 255);
        const Region d = td.update(fb.data());
        ASSERT_TRUE(d.contains_point(int32_t(x), int32_t(y))) << x << "," << y;
        const Rect tile{int32_t(x / 64 * 64), int32_t(y / 16 * 16), 64, 16};
        ASSERT_EQ(d, Region(tile.intersect({0, 0, W, H}))) << "exactly one tile";
    }
}

TEST(TileDamage, IgnoresStridePadding) {
    std::vector<uint8_t> fb(STRIDE * H, 1);
    TileDamage td = *TileDamage::create(W, H, BPP, STRIDE);
    (void)td.update(fb.data());
    fb[5 * STRIDE + W * BPP + 3] = 99; // padding byte after the last pixel
    EXPECT_TRUE(td.update(fb.data()).empty());
}

TEST(TileDamage, ReportsRectangleOfChangedTiles) {
    std::vector<uint8_t> fb(STRIDE * H, 0);
    TileDamage td = *TileDamage::create(W, H, BPP, STRIDE, 32, 8);
    (void)td.update(fb.data());
    for (uint32_t y = 10; y < 30; ++y)
        for (uint32_t x = 40; x < 100; ++x)
            fb[y * STRIDE + x * BPP] = 1;
    const Region d = td.update(fb.data());
    EXPECT_EQ(d, Region(Rect{32, 8, 96, 24}));
}

// A line that moves inside a tile leaves the tile's multiset of rows unchanged: a hash that
// only sums or XORs rotated rows would miss it.
TEST(TileDamage, FindsARowMovedInsideATile) {
    std::vector<uint8_t> fb(STRIDE * H, 0);
    TileDamage td = *TileDamage::create(W, H, BPP, STRIDE, 64, 16);
    for (uint32_t x = 0; x < W * BPP; ++x)
        fb[3 * STRIDE + x] = 0xff;
    (void)td.update(fb.data());
    for (uint32_t x = 0; x < W * BPP; ++x) {
        fb[3 * STRIDE + x] = 0;
        fb[11 * STRIDE + x] = 0xff;
    }
    EXPECT_EQ(td.update(fb.data()), Region(Rect{0, 0, W, 16}));
}

TEST(TileDamage, OddSizesAnd3BytePixels) {
    const uint32_t w = 33, h = 17, stride = w * 3;
    std::vector<uint8_t> fb(stride * h, 0);
    TileDamage td = *TileDamage::create(w, h, 3, stride, 8, 4);
    (void)td.update(fb.data());
    fb[(h - 1) * stride + (w - 1) * 3 + 2] = 5; // very last byte
    EXPECT_EQ(td.update(fb.data()), Region(Rect{32, 16, 1, 1}));
    td.reset();
    EXPECT_EQ(td.update(fb.data()).area(), int64_t(w) * h);
}

TEST(TileDamage, RejectsBadGeometry) {
    EXPECT_FALSE(TileDamage::create(0, 10, 4, 40));
    EXPECT_FALSE(TileDamage::create(10, 0, 4, 40));
    EXPECT_FALSE(TileDamage::create(10, 10, 0, 40));
    EXPECT_FALSE(TileDamage::create(10, 10, 4, 40, 0, 16));
    EXPECT_FALSE(TileDamage::create(10, 10, 4, 40, 64, 0));
    Result<TileDamage> narrow = TileDamage::create(10, 10, 4, 39);
    ASSERT_FALSE(narrow);
    EXPECT_NE(narrow.error().message.find("stride 39"), std::string::npos);
    EXPECT_TRUE(TileDamage::create(10, 10, 4, 40));
}
