// SPDX-License-Identifier: MIT
#include <gtest/gtest.h>

#include "outputs/kms/kms_geometry.h"

using namespace udmaview;
using namespace udmaview::kms;

TEST(KmsGeometry, SameSizeIsFullScreenUnscaled) {
    for (ScaleMode m : {ScaleMode::Fit, ScaleMode::Integer, ScaleMode::None}) {
        const Placement p = place(800, 600, 800, 600, m);
        EXPECT_EQ(p.src, (Rect{0, 0, 800, 600}));
        EXPECT_EQ(p.dst, (Rect{0, 0, 800, 600}));
        EXPECT_FALSE(p.scaled());
        EXPECT_TRUE(p.full_screen(800, 600));
    }
}

TEST(KmsGeometry, FitKeepsAspectAndCentres) {
    // 4:3 on 16:9 → pillarbox.
    Placement p = place(1024, 768, 1920, 1080, ScaleMode::Fit);
    EXPECT_EQ(p.src, (Rect{0, 0, 1024, 768}));
    EXPECT_EQ(p.dst, (Rect{240, 0, 1440, 1080}));
    // 16:9 on 4:3 → letterbox.
    p = place(1280, 720, 1024, 768, ScaleMode::Fit);
    EXPECT_EQ(p.dst, (Rect{0, 96, 1024, 576}));
    // Downscaling a larger source also fits.
    p = place(2048, 1536, 1024, 768, ScaleMode::Fit);
    EXPECT_EQ(p.dst, (Rect{0, 0, 1024, 768}));
    EXPECT_TRUE(p.scaled());
}

TEST(KmsGeometry, IntegerUsesWholeFactors) {
    Placement p = place(640, 480, 1920, 1080, ScaleMode::Integer);
    EXPECT_EQ(p.dst, (Rect{320, 60, 1280, 960})); // x2 (x3 would need 1440 rows)
    p = place(800, 600, 1024, 768, ScaleMode::Integer);
    EXPECT_EQ(p.dst, (Rect{112, 84, 800, 600})); // x1, centred
}

TEST(KmsGeometry, NoneCentresOrCropsTopLeft) {
    Placement p = place(640, 480, 1024, 768, ScaleMode::None);
    EXPECT_EQ(p.src, (Rect{0, 0, 640, 480}));
    EXPECT_EQ(p.dst, (Rect{192, 144, 640, 480}));
    p = place(1280, 1024, 1024, 768, ScaleMode::None);
    EXPECT_EQ(p.src, (Rect{0, 0, 1024, 768}));
    EXPECT_EQ(p.dst, (Rect{0, 0, 1024, 768}));
    p = place(1280, 600, 1024, 768, ScaleMode::Integer); // too wide: crop, no upscale
    EXPECT_EQ(p.src, (Rect{0, 0, 1024, 600}));
    EXPECT_EQ(p.dst, (Rect{0, 84, 1024, 600}));
}

TEST(KmsGeometry, EmptyInputsGiveEmptyPlacement) {
    EXPECT_TRUE(place(0, 600, 800, 600, ScaleMode::Fit).dst.empty());
    EXPECT_TRUE(place(800, 600, 0, 0, ScaleMode::None).dst.empty());
}

TEST(KmsGeometry, DamageMapsThroughPlacement) {
    // 1:1 centred: a translation.
    Placement p = place(640, 480, 1024, 768, ScaleMode::None);
    EXPECT_EQ(map_damage(Region(Rect{10, 20, 30, 40}), p), Region(Rect{202, 164, 30, 40}));
    // x2: scaled and rounded outwards.
    p = place(640, 480, 1920, 1080, ScaleMode::Integer);
    EXPECT_EQ(map_damage(Region(Rect{1, 1, 2, 2}), p), Region(Rect{322, 62, 4, 4}));
    // Cropped parts vanish.
    p = place(1280, 1024, 1024, 768, ScaleMode::None);
    EXPECT_TRUE(map_damage(Region(Rect{1100, 900, 50, 50}), p).empty());
    EXPECT_EQ(map_damage(Region(Rect{1000, 0, 100, 10}), p), Region(Rect{1000, 0, 24, 10}));
}
