// SPDX-License-Identifier: MIT
// Where the tiles of several sources go: grid shape, exact rectangles, single mode.
#include <gtest/gtest.h>

#include "render/tile_layout.h"

using namespace udmaview;

TEST(TileLayout, GridShapeGrowsColumnsFirst) {
    const std::pair<size_t, std::pair<uint32_t, uint32_t>> cases[] = {
        {1, {1, 1}}, {2, {2, 1}}, {3, {2, 2}},  {4, {2, 2}},
        {5, {3, 2}}, {9, {3, 3}}, {10, {4, 3}}, {16, {4, 4}}};
    for (const auto& [n, shape] : cases) {
        const TileGrid g = tile_grid(n);
        EXPECT_EQ(g.cols, shape.first) << n;
        EXPECT_EQ(g.rows, shape.second) << n;
    }
}

TEST(TileLayout, TilesCoverTheWindowWithoutOverlap) {
    const std::vector<Rect> t = tile_rects(3, 101, 50, TileMode::Grid, 0);
    ASSERT_EQ(t.size(), 3u);
    EXPECT_EQ(t[0], (Rect{0, 0, 50, 25}));
    EXPECT_EQ(t[1], (Rect{50, 0, 51, 25}));
    EXPECT_EQ(t[2], (Rect{0, 25, 50, 25}));
    EXPECT_EQ(tile_inner(t[1]), (Rect{52, 2, 47, 21}));
}

TEST(TileLayout, SingleModeShowsTheFocusedTileAlone) {
    const std::vector<Rect> t = tile_rects(4, 640, 480, TileMode::Single, 2);
    EXPECT_TRUE(t[0].empty() && t[1].empty() && t[3].empty());
    EXPECT_EQ(t[2], (Rect{0, 0, 640, 480}));
}

TEST(TileLayout, GridWindowShowsEachPictureOneToOne) {
    uint32_t w = 0, h = 0;
    grid_window_size(2, 320, 240, w, h);
    EXPECT_EQ(w, 648u);
    EXPECT_EQ(h, 244u);
    for (const Rect& r : tile_rects(2, w, h, TileMode::Grid, 0))
        EXPECT_EQ(tile_inner(r).w * 1000 + tile_inner(r).h, 320 * 1000 + 240);
}
