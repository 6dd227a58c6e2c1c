// SPDX-License-Identifier: MIT
// Where each source's picture goes when several share one window or screen: a grid of tiles
// (columns = ⌈√n⌉, rows = ⌈n / columns⌉, filled row by row in --source order) or the focused
// source alone. Pure arithmetic, so outputs and tests agree on every pixel.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "udmaview/region.h"

namespace udmaview {

enum class TileMode { Grid, Single };

// Every tile keeps this many pixels of frame on each side (drawn only around the focused
// one), so moving the focus never moves a picture.
constexpr int32_t tile_frame = 2;

struct TileGrid {
    uint32_t cols = 1, rows = 1;
};
TileGrid tile_grid(size_t tiles);

// The tile rectangles (window pixels, y down, frame included) of a win_w × win_h window:
// tile i spans columns [c·win_w/cols, (c+1)·win_w/cols) and the same for rows. Single mode:
// the focused tile is the whole window, the others are empty.
std::vector<Rect> tile_rects(size_t tiles, uint32_t win_w, uint32_t win_h, TileMode mode,
                             size_t focus);

// Where a tile's picture may go: the tile without its frame.
Rect tile_inner(const Rect& tile);

// The window size that shows tiles pictures of w × h each at 1:1 in a grid.
void grid_window_size(size_t tiles, uint32_t w, uint32_t h, uint32_t& win_w, uint32_t& win_h);

} // namespace udmaview
