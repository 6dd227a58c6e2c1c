// SPDX-License-Identifier: MIT
#include "udmaview/format.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <string>

namespace udmaview {

namespace {

// Channel positions follow drm_fourcc.h: bit positions in the little-endian pixel word.
constexpr Format formats[] = {
    {make_fourcc('X', 'R', '2', '4'), "XRGB8888", 4, false, 16, 8, 8, 8, 0, 8, 24, 0},
    {make_fourcc('A', 'R', '2', '4'), "ARGB8888", 4, true, 16, 8, 8, 8, 0, 8, 24, 8},
    {make_fourcc('X', 'B', '2', '4'), "XBGR8888", 4, false, 0, 8, 8, 8, 16, 8, 24, 0},
    {make_fourcc('A', 'B', '2', '4'), "ABGR8888", 4, true, 0, 8, 8, 8, 16, 8, 24, 8},
    {make_fourcc('R', 'X', '2', '4'), "RGBX8888", 4, false, 24, 8, 16, 8, 8, 8, 0, 0},
    {make_fourcc('B', 'X', '2', '4'), "BGRX8888", 4, false, 8, 8, 16, 8, 24, 8, 0, 0},
    {make_fourcc('R', 'G', '2', '4'), "RGB888", 3, false, 16, 8, 8, 8, 0, 8, 0, 0},
    {make_fourcc('B', 'G', '2', '4'), "BGR888", 3, false, 0, 8, 8, 8, 16, 8, 0, 0},
    {make_fourcc('R', 'G', '1', '6'), "RGB565", 2, false, 11, 5, 5, 6, 0, 5, 0, 0},
};

uint8_t expand(uint32_t word, unsigned shift, unsigned bits) {
    if (bits == 0)
        return 255;
    const uint32_t v = (word >> shift) & ((1u << bits) - 1);
    return bits >= 8 ? uint8_t(v >> (bits - 8))
                     : uint8_t((v << (8 - bits)) | (v >> (2 * bits - 8)));
}

uint32_t pack(uint8_t v, unsigned shift, unsigned bits) {
    return bits == 0 ? 0 : uint32_t(v >> (8 - bits)) << shift;
}

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    return out;
}

std::string known_names() {
    std::string names;
    for (const Format& f : formats) {
        if (!names.empty())
            names += ", ";
        names += std::string(f.name) + " (" + f.fourcc_string().data() + ")";
    }
    return names;
}

} // namespace

std::array<char, 5> Format::fourcc_string() const {
    return {char(fourcc & 0xff), char((fourcc >> 8) & 0xff), char((fourcc >> 16) & 0xff),
            char((fourcc >> 24) & 0xff), 0};
}

void Format::to_rgba8(const uint8_t* p, uint8_t rgba[4]) const {
    uint32_t word = 0;
    for (unsigned i = 0; i < bytes_per_pixel; ++i)
        word |= uint32_t(p[i]) << (8 * i);
    rgba[0] = expand(word, r_shift, r_bits);
    rgba[1] = expand(word, g_shift, g_bits);
    rgba[2] = expand(word, b_shift, b_bits);
    rgba[3] = expand(word, a_shift, a_bits);
}

void Format::from_rgba8(const uint8_t rgba[4], uint8_t* p) const {
    const uint32_t word = pack(rgba[0], r_shift, r_bits) | pack(rgba[1], g_shift, g_bits) |
                          pack(rgba[2], b_shift, b_bits) | pack(rgba[3], a_shift, a_bits);
    for (unsigned i = 0; i < bytes_per_pixel; ++i)
        p[i] = uint8_t(word >> (8 * i));
}

std::span<const Format> all_formats() {
    return formats;
}

const Format* find_format(uint32_t fourcc) {
    for (const Format& f : formats)
        if (f.fourcc == fourcc)
            return &f;
    return nullptr;
}

Result<const Format*> parse_format(std::string_view text) {
    if (text.size() == 4) {
        // Fourcc codes are case sensitive ("XR24" vs "xr24" are different codes).
        const uint32_t code = make_fourcc(text[0], text[1], text[2], text[3]);
        if (const Format* f = find_format(code))
            return f;
    }
    const std::string wanted = lower(text);
    for (const Format& f : formats)
        if (lower(f.name) == wanted)
            return &f;
    return Error{"unknown pixel format '" + std::string(text) + "'; known: " + known_names(),
                 EINVAL};
}

} // namespace udmaview
