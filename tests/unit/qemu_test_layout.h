// SPDX-License-Identifier: MIT
// The layout QEMU's x8r8g8b8 surfaces have in the QEMU source's unit tests.
#pragma once

#include "sources/qemu/pixman_format.h"
#include "udmaview/frame.h"

namespace udmaview::qemu::test {

constexpr uint32_t xrgb = pixman_x8r8g8b8;

inline Layout xrgb_layout(uint32_t w, uint32_t h) {
    Layout l;
    l.width = w;
    l.height = h;
    l.stride = w * 4;
    l.format = format_from_pixman(xrgb);
    return l;
}

} // namespace udmaview::qemu::test
