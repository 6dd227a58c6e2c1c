// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "udmaview/error.h"
#include "udmaview/frame.h"

namespace udmaview {

// An 8-bit RGBA picture, rows top to bottom.
struct RgbaImage {
    uint32_t width = 0, height = 0;
    std::vector<uint8_t> pixels; // width * height * 4

    const uint8_t* at(uint32_t x, uint32_t y) const { return &pixels[(size_t(y) * width + x) * 4]; }
};

// Converts the pixels of a mapped buffer to RGBA (honours stride, format and y0_top).
RgbaImage to_rgba(const Layout& layout, const uint8_t* buffer_bytes);

Status write_png(const std::string& path, const RgbaImage& image);
Result<RgbaImage> read_png(const std::string& path);

} // namespace udmaview
