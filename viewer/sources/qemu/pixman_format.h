// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <string>

#include "udmaview/format.h"

namespace udmaview::qemu {

// pixman_format_code_t values QEMU sends in Scanout/Update (pixman.h: PIXMAN_FORMAT(bpp, type,
// a, r, g, b) = bpp << 24 | type << 16 | a << 12 | r << 8 | g << 4 | b).
constexpr uint32_t pixman_code(uint32_t bpp, uint32_t type, uint32_t a, uint32_t r, uint32_t g,
                               uint32_t b) {
    return bpp << 24 | type << 16 | a << 12 | r << 8 | g << 4 | b;
}
constexpr uint32_t pixman_x8r8g8b8 = pixman_code(32, 2, 0, 8, 8, 8); // 0x20020888

// The DRM format of a pixman format, from the core Format table; nullptr when the pixman
// format has no entry there (the update is then rejected).
const Format* format_from_pixman(uint32_t pixman_format);
// "0x20020888 (x8r8g8b8)" for messages.
std::string describe_pixman(uint32_t pixman_format);

} // namespace udmaview::qemu
