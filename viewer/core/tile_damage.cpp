// SPDX-License-Identifier: MIT
#include "udmaview/tile_damage.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <string>

namespace udmaview {

namespace {

constexpr uint64_t prime = 0x9E3779B97F4A7C15ull; // odd: (acc ^ w) * prime is a bijection

using Lanes = std::array<uint64_t, 4>;

inline uint64_t load64(const uint8_t* p) {
    uint64_t v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

// Feeds one row segment of a tile into its four lanes. Every step is a bijection of the lane
// state, so a change in any single word always changes the tile's hash.
inline void feed(Lanes& l, const uint8_t* p, size_t n) {
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        l[0] = (l[0] ^ load64(p + i)) * prime;
        l[1] = (l[1] ^ load64(p + i + 8)) * prime;
        l[2] = (l[2] ^ load64(p + i + 16)) * prime;
        l[3] = (l[3] ^ load64(p + i + 24)) * prime;
    }
    for (; i + 8 <= n; i += 8)
        l[0] = (l[0] ^ load64(p + i)) * prime;
    if (i < n) {
        uint64_t tail = 0;
        std::memcpy(&tail, p + i, n - i);
        l[1] = (l[1] ^ tail ^ (uint64_t(n - i) << 56)) * prime;
    }
}

inline uint64_t finish(const Lanes& l) {
    uint64_t h = l[0];
    for (int k = 1; k < 4; ++k)
        h = ((h << 27) | (h >> 37)) ^ (l[k] * prime);
    return h ^ (h >> 29);
}

} // namespace

Result<TileDamage> TileDamage::create(uint32_t width, uint32_t height, uint32_t bytes_per_pixel,
                                      uint32_t stride, uint32_t tile_width, uint32_t tile_height) {
    if (width == 0 || height == 0 || bytes_per_pixel == 0 || tile_width == 0 || tile_height == 0)
        return Error{"tile damage: width, height, bytes per pixel and tile size must be > 0 (got " +
                         std::to_string(width) + "x" + std::to_string(height) + ", " +
                         std::to_string(bytes_per_pixel) + " bytes per pixel, tiles " +
                         std::to_string(tile_width) + "x" + std::to_string(tile_height) + ")",
                     EINVAL};
    if (stride < uint64_t(width) * bytes_per_pixel)
        return Error{"tile damage: stride " + std::to_string(stride) + " is smaller than width " +
                         std::to_string(width) + " × " + std::to_string(bytes_per_pixel) +
                         " bytes per pixel",
                     EINVAL};
    return TileDamage(width, height, bytes_per_pixel, stride, tile_width, tile_height);
}

TileDamage::TileDamage(uint32_t width, uint32_t height, uint32_t bytes_per_pixel, uint32_t stride,
                       uint32_t tile_width, uint32_t tile_height)
    : width_(width)
    , height_(height)
    , bpp_(bytes_per_pixel)
    , stride_(stride)
    , tile_w_(tile_width)
    , tile_h_(tile_height) {
    tiles_x_ = (width + tile_w_ - 1) / tile_w_;
    tiles_y_ = (height + tile_h_ - 1) / tile_h_;
    hashes_.assign(size_t(tiles_x_) * tiles_y_, 0);
}

void TileDamage::reset() {
    primed_ = false;
}

Region TileDamage::update(const uint8_t* pixels) {
    std::vector<Lanes> lanes(tiles_x_);
    std::vector<Rect> changed;
    const size_t row_bytes = size_t(width_) * bpp_;
    const size_t tile_bytes = size_t(tile_w_) * bpp_;
    for (uint32_t ty = 0; ty < tiles_y_; ++ty) {
        for (uint32_t tx = 0; tx < tiles_x_; ++tx)
            lanes[tx] = {tx + 1ull, ty + 1ull, 3, 4};
        const uint32_t y_end = std::min(height_, (ty + 1) * tile_h_);
        for (uint32_t y = ty * tile_h_; y < y_end; ++y) {
            const uint8_t* row = pixels + size_t(y) * stride_;
            for (uint32_t tx = 0; tx < tiles_x_; ++tx) {
                const size_t start = tx * tile_bytes;
                feed(lanes[tx], row + start, std::min(tile_bytes, row_bytes - start));
            }
        }
        int32_t run_start = -1;
        for (uint32_t tx = 0; tx <= tiles_x_; ++tx) {
            bool dirty = false;
            if (tx < tiles_x_) {
                uint64_t& stored = hashes_[size_t(ty) * tiles_x_ + tx];
                const uint64_t h = finish(lanes[tx]);
                dirty = !primed_ || h != stored;
                stored = h;
            }
            if (dirty && run_start < 0)
                run_start = int32_t(tx);
            if (!dirty && run_start >= 0) {
                const int32_t x1 = run_start * int32_t(tile_w_);
                const int32_t x2 = std::min(int32_t(tx * tile_w_), int32_t(width_));
                changed.push_back(
                    {x1, int32_t(ty * tile_h_), x2 - x1, int32_t(y_end - ty * tile_h_)});
                run_start = -1;
            }
        }
    }
    primed_ = true;
    return Region::from_rects(changed);
}

} // namespace udmaview
