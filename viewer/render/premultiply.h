// SPDX-License-Identifier: MIT
// The one blending rule both renderers follow for the overlays (hud, guest pointer):
// colours premultiplied by alpha, rounded to nearest, then composited "over" the picture
// (GL: ONE, ONE_MINUS_SRC_ALPHA; pixman: PIXMAN_OP_OVER). Scaling a premultiplied image
// (bilinear) weighs a transparent pixel's colour by its zero alpha, as it must.
#pragma once

#include <cstdint>

namespace udmaview {

// v · a / 255 rounded to nearest.
constexpr uint8_t premultiply_channel(uint8_t v, uint8_t a) {
    return uint8_t((uint32_t(v) * a + 127) / 255);
}

// A straight-alpha 0xAARRGGBB word (CursorImage's) premultiplied.
constexpr uint32_t premultiplied_argb(uint32_t p) {
    const uint8_t a = uint8_t(p >> 24);
    return uint32_t(a) << 24 | uint32_t(premultiply_channel(uint8_t(p >> 16), a)) << 16 |
           uint32_t(premultiply_channel(uint8_t(p >> 8), a)) << 8 |
           premultiply_channel(uint8_t(p), a);
}

} // namespace udmaview
