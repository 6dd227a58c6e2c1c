// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <vector>

#include "udmaview/error.h"
#include "udmaview/region.h"

namespace udmaview {

// Finds what changed in a framebuffer that comes without damage information (a guest's
// linear framebuffer): hashes fixed-size tiles and reports the tiles whose hash differs from
// the previous call. The first call reports the whole frame.
class TileDamage {
public:
    // An Error when a size is 0 or stride < width * bytes_per_pixel.
    static Result<TileDamage> create(uint32_t width, uint32_t height, uint32_t bytes_per_pixel,
                                     uint32_t stride, uint32_t tile_width = 64,
                                     uint32_t tile_height = 16);

    // pixels holds stride * height bytes (the last row may be just width * bytes_per_pixel
    // long).
    Region update(const uint8_t* pixels);
    // Forgets all hashes: the next update() reports everything.
    void reset();

    uint32_t tiles_x() const { return tiles_x_; }
    uint32_t tiles_y() const { return tiles_y_; }

private:
    TileDamage(uint32_t width, uint32_t height, uint32_t bytes_per_pixel, uint32_t stride,
               uint32_t tile_width, uint32_t tile_height);

    uint32_t width_, height_, bpp_, stride_, tile_w_, tile_h_, tiles_x_, tiles_y_;
    std::vector<uint64_t> hashes_;
    bool primed_ = false;
};

} // namespace udmaview
