// SPDX-License-Identifier: MIT
#include "render/tile_layout.h"

#include <algorithm>

namespace udmaview {

TileGrid tile_grid(size_t tiles) {
    TileGrid g;
    while (size_t(g.cols) * g.cols < tiles)
        ++g.cols;
    g.rows = uint32_t((std::max<size_t>(tiles, 1) + g.cols - 1) / g.cols);
    return g;
}

std::vector<Rect> tile_rects(size_t tiles, uint32_t win_w, uint32_t win_h, TileMode mode,
                             size_t focus) {
    std::vector<Rect> rects(tiles);
    if (mode == TileMode::Single) {
        if (focus < tiles)
            rects[focus] = Rect{0, 0, int32_t(win_w), int32_t(win_h)};
        return rects;
    }
    const TileGrid g = tile_grid(tiles);
    for (size_t i = 0; i < tiles; ++i) {
        const uint64_t c = i % g.cols, r = i / g.cols;
        const int32_t x0 = int32_t(c * win_w / g.cols), x1 = int32_t((c + 1) * win_w / g.cols);
        const int32_t y0 = int32_t(r * win_h / g.rows), y1 = int32_t((r + 1) * win_h / g.rows);
        rects[i] = Rect{x0, y0, x1 - x0, y1 - y0};
    }
    return rects;
}

Rect tile_inner(const Rect& tile) {
    return Rect{tile.x + tile_frame, tile.y + tile_frame, std::max(0, tile.w - 2 * tile_frame),
                std::max(0, tile.h - 2 * tile_frame)};
}

void grid_window_size(size_t tiles, uint32_t w, uint32_t h, uint32_t& win_w, uint32_t& win_h) {
    const TileGrid g = tile_grid(tiles);
    win_w = g.cols * (w + 2 * tile_frame);
    win_h = g.rows * (h + 2 * tile_frame);
}

} // namespace udmaview
