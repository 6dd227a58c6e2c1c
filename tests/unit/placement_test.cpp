// SPDX-License-Identifier: MIT
#include <gtest/gtest.h>

#include "udmaview/placement.h"

using namespace udmaview;

namespace {

struct Case {
    uint32_t src_w, src_h, dst_w, dst_h;
    ScaleMode mode;
    Rect src, dst;
};

constexpr ScaleMode fit = ScaleMode::Fit, integer = ScaleMode::Integer, none = ScaleMode::None;

const Case cases[] = {
    // 1x1 source and destination.
    {1, 1, 1, 1, fit, {0, 0, 1, 1}, {0, 0, 1, 1}},
    {1, 1, 1, 1, integer, {0, 0, 1, 1}, {0, 0, 1, 1}},
    {1, 1, 1, 1, none, {0, 0, 1, 1}, {0, 0, 1, 1}},
    {1, 1, 1024, 768, fit, {0, 0, 1, 1}, {128, 0, 768, 768}},
    {1, 1, 1024, 768, integer, {0, 0, 1, 1}, {128, 0, 768, 768}},
    {1, 1, 1024, 768, none, {0, 0, 1, 1}, {511, 383, 1, 1}},
    {1024, 768, 1, 1, fit, {0, 0, 1024, 768}, {0, 0, 1, 1}},
    {1024, 768, 1, 1, none, {511, 383, 1, 1}, {0, 0, 1, 1}},
    // Equal sizes: full screen, unscaled, whatever the mode.
    {800, 600, 800, 600, fit, {0, 0, 800, 600}, {0, 0, 800, 600}},
    {800, 600, 800, 600, integer, {0, 0, 800, 600}, {0, 0, 800, 600}},
    {800, 600, 800, 600, none, {0, 0, 800, 600}, {0, 0, 800, 600}},
    // Fit: pillarbox, letterbox, up- and downscale.
    {1024, 768, 1920, 1080, fit, {0, 0, 1024, 768}, {240, 0, 1440, 1080}},
    {1280, 720, 1024, 768, fit, {0, 0, 1280, 720}, {0, 96, 1024, 576}},
    {2048, 1536, 1024, 768, fit, {0, 0, 2048, 1536}, {0, 0, 1024, 768}},
    {1920, 1080, 800, 600, fit, {0, 0, 1920, 1080}, {0, 75, 800, 450}},
    {1280, 1024, 1024, 768, fit, {0, 0, 1280, 1024}, {32, 0, 960, 768}},
    // Fit rounds sizes to nearest (never below 1).
    {3, 2, 5, 5, fit, {0, 0, 3, 2}, {0, 1, 5, 3}},
    {2, 3, 5, 5, fit, {0, 0, 2, 3}, {1, 0, 3, 5}},
    {2, 1, 3, 3, fit, {0, 0, 2, 1}, {0, 0, 3, 2}},
    {1000, 1, 3, 3, fit, {0, 0, 1000, 1}, {0, 1, 3, 1}},
    // Integer: whole factors, centred.
    {640, 480, 1920, 1080, integer, {0, 0, 640, 480}, {320, 60, 1280, 960}},
    {800, 600, 1024, 768, integer, {0, 0, 800, 600}, {112, 84, 800, 600}},
    {320, 240, 639, 479, integer, {0, 0, 320, 240}, {159, 119, 320, 240}},
    // Smaller with odd differences: the odd pixel goes after the picture.
    {641, 481, 1024, 768, none, {0, 0, 641, 481}, {191, 143, 641, 481}},
    {640, 480, 1023, 767, none, {0, 0, 640, 480}, {191, 143, 640, 480}},
    // Larger than the screen: 1:1, cropped from the centre (integer falls back to 1:1).
    {1280, 1024, 1024, 768, none, {128, 128, 1024, 768}, {0, 0, 1024, 768}},
    {1280, 1024, 1024, 768, integer, {128, 128, 1024, 768}, {0, 0, 1024, 768}},
    {1025, 769, 1024, 768, none, {0, 0, 1024, 768}, {0, 0, 1024, 768}},
    {1027, 771, 1024, 768, none, {1, 1, 1024, 768}, {0, 0, 1024, 768}},
    {1280, 600, 1024, 768, integer, {128, 0, 1024, 600}, {0, 84, 1024, 600}},
    {600, 1280, 1024, 768, none, {0, 256, 600, 768}, {212, 0, 600, 768}},
    // The 16384 limit of KMS and GL sizes, both ways.
    {16384, 16384, 16384, 16384, fit, {0, 0, 16384, 16384}, {0, 0, 16384, 16384}},
    {16384, 16384, 1, 1, fit, {0, 0, 16384, 16384}, {0, 0, 1, 1}},
    {16384, 16384, 1, 1, integer, {8191, 8191, 1, 1}, {0, 0, 1, 1}},
    {16384, 16384, 1, 1, none, {8191, 8191, 1, 1}, {0, 0, 1, 1}},
    {1, 1, 16384, 16384, integer, {0, 0, 1, 1}, {0, 0, 16384, 16384}},
    {1, 1, 16384, 16384, none, {0, 0, 1, 1}, {8191, 8191, 1, 1}},
    {16384, 1, 1, 16384, fit, {0, 0, 16384, 1}, {0, 8191, 1, 1}},
    {1, 16384, 16384, 1, fit, {0, 0, 1, 16384}, {8191, 0, 1, 1}},
    {16384, 8192, 1920, 1080, fit, {0, 0, 16384, 8192}, {0, 60, 1920, 960}},
};

} // namespace

TEST(Placement, TableOfCases) {
    for (const Case& c : cases) {
        const Placement p = place(c.src_w, c.src_h, c.dst_w, c.dst_h, c.mode);
        const std::string what = std::to_string(c.src_w) + "x" + std::to_string(c.src_h) + " on " +
                                 std::to_string(c.dst_w) + "x" + std::to_string(c.dst_h) + " " +
                                 to_string(c.mode) + ": " + p.to_string();
        EXPECT_EQ(p.src, c.src) << what;
        EXPECT_EQ(p.dst, c.dst) << what;
    }
}

TEST(Placement, StaysInsideSourceAndDestination) {
    const uint32_t sizes[] = {1, 2, 3, 7, 63, 64, 480, 481, 640, 1023, 1024, 16383, 16384};
    for (uint32_t sw : sizes)
        for (uint32_t sh : sizes)
            for (uint32_t dw : sizes)
                for (uint32_t dh : {1u, 5u, 600u, 16384u})
                    for (ScaleMode m : {fit, integer, none}) {
                        const Placement p = place(sw, sh, dw, dh, m);
                        const Rect source{0, 0, int32_t(sw), int32_t(sh)};
                        const Rect dest{0, 0, int32_t(dw), int32_t(dh)};
                        ASSERT_FALSE(p.src.empty() || p.dst.empty());
                        ASSERT_TRUE(source.contains(p.src)) << p.to_string();
                        ASSERT_TRUE(dest.contains(p.dst)) << p.to_string();
                        if (m != fit) { // a whole factor, the same on both axes
                            ASSERT_EQ(p.dst.w % p.src.w, 0) << p.to_string();
                            ASSERT_EQ(p.dst.w / p.src.w, p.dst.h / p.src.h) << p.to_string();
                        } else {
                            ASSERT_EQ(p.src, source);
                        }
                        // Centred: the leftover before is half of it, rounded down.
                        ASSERT_EQ(p.dst.x, (int32_t(dw) - p.dst.w) / 2);
                        ASSERT_EQ(p.dst.y, (int32_t(dh) - p.dst.h) / 2);
                        ASSERT_EQ(p.src.x, (int32_t(sw) - p.src.w) / 2);
                        ASSERT_EQ(p.src.y, (int32_t(sh) - p.src.h) / 2);
                    }
}

TEST(Placement, EmptyOrHugeInputsGiveEmptyPlacement) {
    EXPECT_EQ(place(0, 600, 800, 600, fit), Placement{});
    EXPECT_EQ(place(800, 0, 800, 600, integer), Placement{});
    EXPECT_EQ(place(800, 600, 0, 0, none), Placement{});
    EXPECT_EQ(place(0x80000000u, 600, 800, 600, fit), Placement{});
    EXPECT_EQ(place(800, 600, 800, 0xffffffffu, none), Placement{});
}

TEST(Placement, ScaledAndFullScreen) {
    EXPECT_FALSE(place(800, 600, 800, 600, fit).scaled());
    EXPECT_TRUE(place(800, 600, 800, 600, fit).full_screen(800, 600));
    EXPECT_TRUE(place(640, 480, 1920, 1080, integer).scaled());
    EXPECT_FALSE(place(640, 480, 1920, 1080, integer).full_screen(1920, 1080));
    EXPECT_FALSE(place(1280, 1024, 1024, 768, none).scaled());
    EXPECT_TRUE(place(1280, 1024, 1024, 768, none).full_screen(1024, 768));
}

TEST(Placement, UncroppedDestinationCoversTheWholePicture) {
    // Not cropped: dst itself.
    Placement p = place(1024, 768, 1920, 1080, fit);
    EXPECT_EQ(uncropped_dst(p, 1024, 768), p.dst);
    p = place(640, 480, 1920, 1080, integer);
    EXPECT_EQ(uncropped_dst(p, 640, 480), (Rect{320, 60, 1280, 960}));
    // Cropped from the centre: the picture reaches out evenly.
    p = place(1280, 1024, 1024, 768, none);
    EXPECT_EQ(uncropped_dst(p, 1280, 1024), (Rect{-128, -128, 1280, 1024}));
    p = place(321, 240, 200, 100, none);
    EXPECT_EQ(uncropped_dst(p, 321, 240), (Rect{-60, -70, 321, 240}));
    EXPECT_EQ(uncropped_dst(Placement{}, 10, 10), Rect{});
}

TEST(Placement, DamageMapsThroughPlacement) {
    // 1:1 centred: a translation.
    Placement p = place(640, 480, 1024, 768, none);
    EXPECT_EQ(map_damage(Region(Rect{10, 20, 30, 40}), p), Region(Rect{202, 164, 30, 40}));
    // x2: scaled and rounded outwards.
    p = place(640, 480, 1920, 1080, integer);
    EXPECT_EQ(map_damage(Region(Rect{1, 1, 2, 2}), p), Region(Rect{322, 62, 4, 4}));
    // Fit with a fractional scale (1.5) rounds outwards too.
    p = place(640, 480, 960, 720, fit);
    EXPECT_EQ(map_damage(Region(Rect{1, 1, 1, 1}), p), Region(Rect{1, 1, 2, 2}));
    // Cropped parts (all around the centre) vanish; the rest shifts by the crop.
    p = place(1280, 1024, 1024, 768, none);
    EXPECT_TRUE(map_damage(Region(Rect{0, 0, 100, 100}), p).empty());
    EXPECT_TRUE(map_damage(Region(Rect{1100, 900, 50, 50}), p).empty());
    EXPECT_EQ(map_damage(Region(Rect{1100, 200, 100, 10}), p), Region(Rect{972, 72, 52, 10}));
    EXPECT_TRUE(map_damage(Region(Rect{0, 0, 10, 10}), Placement{}).empty());
}
