// SPDX-License-Identifier: MIT
#include <gtest/gtest.h>

#include "render/viewport.h"

using namespace udmaview;

TEST(EglViewport, FitSameAspectFillsWindow) {
    EXPECT_EQ(compute_viewport(320, 240, 320, 240, ScaleMode::Fit), (Rect{0, 0, 320, 240}));
    EXPECT_EQ(compute_viewport(320, 240, 640, 480, ScaleMode::Fit), (Rect{0, 0, 640, 480}));
}

TEST(EglViewport, FitLetterboxesWideWindow) {
    // 4:3 picture in a 2:1 window: full height, bars left and right.
    EXPECT_EQ(compute_viewport(320, 240, 640, 240, ScaleMode::Fit), (Rect{160, 0, 320, 240}));
    EXPECT_EQ(compute_viewport(1024, 768, 1920, 1080, ScaleMode::Fit), (Rect{240, 0, 1440, 1080}));
}

TEST(EglViewport, FitLetterboxesTallWindow) {
    // 16:9 picture in a 4:3 window: full width, bars top and bottom.
    EXPECT_EQ(compute_viewport(1920, 1080, 800, 600, ScaleMode::Fit), (Rect{0, 75, 800, 450}));
    // Downscaling works the same way.
    EXPECT_EQ(compute_viewport(4000, 1000, 400, 400, ScaleMode::Fit), (Rect{0, 150, 400, 100}));
}

TEST(EglViewport, IntegerUsesWholeMultiples) {
    EXPECT_EQ(compute_viewport(320, 240, 1000, 1000, ScaleMode::Integer),
              (Rect{20, 140, 960, 720}));
    EXPECT_EQ(compute_viewport(320, 240, 639, 479, ScaleMode::Integer), (Rect{159, 119, 320, 240}));
    // Never below 1: a larger picture is shown 1:1 and cropped evenly.
    EXPECT_EQ(compute_viewport(800, 600, 400, 300, ScaleMode::Integer),
              (Rect{-200, -150, 800, 600}));
}

TEST(EglViewport, NoneCentresOneToOne) {
    EXPECT_EQ(compute_viewport(320, 240, 400, 300, ScaleMode::None), (Rect{40, 30, 320, 240}));
    EXPECT_EQ(compute_viewport(320, 240, 200, 100, ScaleMode::None), (Rect{-60, -70, 320, 240}));
}

TEST(EglViewport, EmptyInputsGiveEmptyViewport) {
    EXPECT_TRUE(compute_viewport(0, 240, 400, 300, ScaleMode::Fit).empty());
    EXPECT_TRUE(compute_viewport(320, 240, 0, 300, ScaleMode::Fit).empty());
}

TEST(EglViewport, WindowToSourceOneToOne) {
    const Rect vp{0, 0, 320, 240};
    SourcePoint p = window_to_source(vp, 320, 240, 10.5, 20.5);
    EXPECT_TRUE(p.inside);
    EXPECT_EQ(p.x, 10);
    EXPECT_EQ(p.y, 20);
    p = window_to_source(vp, 320, 240, 319.5, 239.5);
    EXPECT_TRUE(p.inside);
    EXPECT_EQ(p.x, 319);
    EXPECT_EQ(p.y, 239);
}

TEST(EglViewport, WindowToSourceThroughLetterbox) {
    // 320x240 shown in a 640x240 window: picture at x 160..480.
    const Rect vp = compute_viewport(320, 240, 640, 240, ScaleMode::Fit);
    SourcePoint p = window_to_source(vp, 320, 240, 260.5, 50.5);
    EXPECT_TRUE(p.inside);
    EXPECT_EQ(p.x, 100);
    EXPECT_EQ(p.y, 50);
    // On the left bar: clamped to the picture's edge and flagged.
    p = window_to_source(vp, 320, 240, 10.5, 50.5);
    EXPECT_FALSE(p.inside);
    EXPECT_EQ(p.x, 0);
    EXPECT_EQ(p.y, 50);
    p = window_to_source(vp, 320, 240, 600.5, 239.5);
    EXPECT_FALSE(p.inside);
    EXPECT_EQ(p.x, 319);
    EXPECT_EQ(p.y, 239);
}

TEST(EglViewport, WindowToSourceScaled) {
    // 320x240 doubled into 640x480: window pixel (2x, 2y) and (2x+1, 2y+1) are source (x, y).
    const Rect vp = compute_viewport(320, 240, 640, 480, ScaleMode::Fit);
    for (int x : {0, 1, 57, 319})
        for (int y : {0, 1, 99, 239})
            for (int d : {0, 1}) {
                const SourcePoint p =
                    window_to_source(vp, 320, 240, 2 * x + d + 0.5, 2 * y + d + 0.5);
                EXPECT_TRUE(p.inside);
                EXPECT_EQ(p.x, x);
                EXPECT_EQ(p.y, y);
            }
}

TEST(EglViewport, SourceToWindowCoversDamageAndClips) {
    const Rect vp = compute_viewport(320, 240, 640, 480, ScaleMode::Fit);
    const Region damage(Rect{10, 20, 30, 40});
    const Region w = source_to_window(damage, vp, 320, 240, 640, 480);
    // Doubled, plus one pixel of margin for linear filtering.
    EXPECT_EQ(w, Region(Rect{19, 39, 62, 82}));
    const Region edge = source_to_window(Region(Rect{0, 0, 320, 240}), vp, 320, 240, 640, 480);
    EXPECT_EQ(edge, Region(Rect{0, 0, 640, 480}));
    // At 4x, linear sampling reaches two screen pixels beyond the scaled rect.
    const Rect vp4 = compute_viewport(160, 120, 640, 480, ScaleMode::Fit);
    const Region w4 = source_to_window(Region(Rect{10, 10, 5, 5}), vp4, 160, 120, 640, 480);
    EXPECT_EQ(w4, Region(Rect{38, 38, 24, 24}));
}
