// SPDX-License-Identifier: MIT
#include "udmaview/tile_damage.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>

namespace udmaview {

namespace {

constexpr uint32_t mul32 = 0x9E3779B1u;           // odd: (s ^ v) * mul32 is a bijection
constexpr uint64_t prime = 0x9E3779B97F4A7C15ull; // odd, for the scalar fold

// Sixteen 32-bit lanes: one AVX-512 register; GCC lowers the same code to two AVX2 or four
// SSE2 registers for the other clones.
// Kept in plain uint32_t storage and moved with memcpy (unaligned loads): containers do not
// honour a vector type's 32-byte alignment.
using Vec = uint32_t __attribute__((vector_size(64)));
constexpr size_t vec_bytes = sizeof(Vec);
constexpr size_t vec_lanes = vec_bytes / sizeof(uint32_t);

// Vectors never cross a function boundary by value: that ABI differs between the clones.
inline void mix(uint32_t* state, const void* data) {
    Vec s, v;
    std::memcpy(&s, state, vec_bytes);
    std::memcpy(&v, data, vec_bytes);
    const Vec a = (s ^ v) * mul32;
    s = a ^ (a >> 15);
    std::memcpy(state, &s, vec_bytes);
}

// f = xorshift(f * mul32) ^ data: a bijection of f for fixed data and of data for fixed f, and
// unlike mix() it does not cancel when f equals data (two tile columns that changed alike).
inline void fold(uint32_t* f, const void* data) {
    Vec s, v;
    std::memcpy(&s, f, vec_bytes);
    std::memcpy(&v, data, vec_bytes);
    const Vec a = s * mul32;
    s = (a ^ (a >> 15)) ^ v;
    std::memcpy(f, &s, vec_bytes);
}

// Feeds one pixel row into the state of every tile it crosses. Each 32-byte word of a tile row
// has its own accumulator (so the multiply latency overlaps), and every step is a bijection of
// the accumulator for a fixed input: a change in any single word always changes the tile's
// state. The xorshift after the multiply carries high bits down, so changes in the top bit of
// a lane in two rows do not cancel.
__attribute__((target_clones("avx512f", "avx2", "default"))) void
feed_row(uint32_t* state, size_t vecs_per_tile, const uint8_t* row, size_t row_bytes,
         size_t tile_bytes) {
    for (size_t start = 0; start < row_bytes;
         start += tile_bytes, state += vecs_per_tile * vec_lanes) {
        const uint8_t* p = row + start;
        const size_t n = std::min(tile_bytes, row_bytes - start);
        size_t k = 0;
        for (; (k + 1) * vec_bytes <= n; ++k)
            mix(state + k * vec_lanes, p + k * vec_bytes);
        if (k * vec_bytes < n) { // the tile row's tail, zero-padded (its length never changes)
            uint32_t tail[vec_lanes] = {};
            std::memcpy(tail, p + k * vec_bytes, n - k * vec_bytes);
            mix(state + k * vec_lanes, tail);
        }
    }
}

// Folds each tile's accumulators into 64 bits with bijective steps (a change in one
// accumulator always changes the result before the final xorshift, which is a bijection too).
__attribute__((target_clones("avx512f", "avx2", "default"))) void
finish_row(uint32_t* state, size_t vecs_per_tile, uint32_t tiles, uint64_t* hashes) {
    for (uint32_t t = 0; t < tiles; ++t, state += vecs_per_tile * vec_lanes) {
        for (size_t k = 1; k < vecs_per_tile; ++k)
            fold(state, state + k * vec_lanes);
        uint64_t h = 0;
        for (size_t i = 0; i < vec_lanes; i += 2)
            h = (h ^ (uint64_t(state[i + 1]) << 32 | state[i])) * prime;
        hashes[t] = h ^ (h >> 29);
    }
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
    const size_t row_bytes = size_t(width_) * bpp_;
    const size_t tile_bytes = size_t(tile_w_) * bpp_;
    const size_t vecs_per_tile = (tile_bytes + vec_bytes - 1) / vec_bytes;
    std::vector<uint32_t> state(vecs_per_tile * vec_lanes * tiles_x_);
    std::vector<uint64_t> row_hashes(tiles_x_);
    std::vector<Rect> changed;
    for (uint32_t ty = 0; ty < tiles_y_; ++ty) {
        std::fill(state.begin(), state.end(), 0u);
        const uint32_t y_end = std::min(height_, (ty + 1) * tile_h_);
        for (uint32_t y = ty * tile_h_; y < y_end; ++y)
            feed_row(state.data(), vecs_per_tile, pixels + size_t(y) * stride_, row_bytes,
                     tile_bytes);
        finish_row(state.data(), vecs_per_tile, tiles_x_, row_hashes.data());
        int32_t run_start = -1;
        for (uint32_t tx = 0; tx <= tiles_x_; ++tx) {
            bool dirty = false;
            if (tx < tiles_x_) {
                uint64_t& stored = hashes_[size_t(ty) * tiles_x_ + tx];
                const uint64_t h = row_hashes[tx];
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
