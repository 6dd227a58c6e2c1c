// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

#include "udmaview/error.h"

namespace udmaview {

// A packed RGB pixel format by DRM fourcc (drm_fourcc.h; little-endian memory order).
struct Format {
    uint32_t fourcc;
    std::string_view name;    // "XRGB8888"
    unsigned bytes_per_pixel; // 2, 3 or 4
    bool has_alpha;
    // Bit position and width of each channel inside the little-endian pixel word.
    uint8_t r_shift, r_bits, g_shift, g_bits, b_shift, b_bits, a_shift, a_bits;

    unsigned bpp() const { return bytes_per_pixel * 8; }
    // The fourcc as its four characters, e.g. "XR24".
    std::array<char, 5> fourcc_string() const;

    // Converts one pixel at p to 8-bit R, G, B, A (A = 255 without alpha).
    void to_rgba8(const uint8_t* p, uint8_t rgba[4]) const;
    // Writes one pixel at p from 8-bit R, G, B, A.
    void from_rgba8(const uint8_t rgba[4], uint8_t* p) const;
};

std::span<const Format> all_formats();
// nullptr when fourcc is not in the table.
const Format* find_format(uint32_t fourcc);
// Accepts the table name ("xrgb8888", any case) or the fourcc code ("XR24").
Result<const Format*> parse_format(std::string_view text);

constexpr uint32_t make_fourcc(char a, char b, char c, char d) {
    return uint32_t(uint8_t(a)) | uint32_t(uint8_t(b)) << 8 | uint32_t(uint8_t(c)) << 16 |
           uint32_t(uint8_t(d)) << 24;
}

} // namespace udmaview
