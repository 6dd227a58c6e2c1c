// SPDX-License-Identifier: MIT
// Test pictures for the renderer tests: a buffer of any format whose every pixel differs
// from its neighbours (so a sample one pixel off shows), the frames that show it, and what
// a target pixel must hold, computed here without pixman or GL.
#pragma once

#include <cstring>
#include <memory>
#include <vector>

#include "udmaview/format.h"
#include "udmaview/frame.h"

namespace udmaview::test {

// The colour of picture pixel (x, y) of a picture with seed.
inline void pattern_rgba(uint32_t x, uint32_t y, uint32_t seed, uint8_t rgba[4]) {
    rgba[0] = uint8_t(x * 37 + y * 11 + seed * 53);
    rgba[1] = uint8_t(x * 5 + y * 71 + seed * 29);
    rgba[2] = uint8_t((x ^ y) * 23 + seed * 101);
    rgba[3] = 255;
}

struct Picture {
    OwnedBuffer owned;
    const Layout& layout() const { return owned.buffer->layout(); }
    // The picture's pixel (x, y), rows counted from the top of the picture, as the format
    // stores it (for formats with fewer bits, what survives the round trip).
    void rgba_at(uint32_t x, uint32_t y, uint8_t rgba[4]) const {
        const Layout& l = layout();
        const uint32_t row = l.y0_top ? y : l.height - 1 - y;
        l.format->to_rgba8(owned.pixels.data() + l.offset + uint64_t(row) * l.stride +
                               uint64_t(x) * l.format->bytes_per_pixel,
                           rgba);
    }
    Frame frame(uint64_t seq, uint32_t source = 0) const {
        Frame f;
        f.seq = seq;
        f.buffer = owned.buffer;
        f.damage = Region(layout().bounds());
        f.source = source;
        return f;
    }
};

// A w × h picture in format (stride rounded up to 4 bytes), rows top-down unless bottom_up.
inline Picture make_picture(const Format& format, uint32_t w, uint32_t h, uint32_t seed = 0,
                            bool bottom_up = false) {
    Layout l;
    l.width = w;
    l.height = h;
    l.stride = (w * format.bytes_per_pixel + 3) / 4 * 4;
    l.format = &format;
    l.y0_top = !bottom_up;
    Picture p{std::move(OwnedBuffer::create("renderer-test", l, nullptr, "test")).value()};
    for (uint32_t y = 0; y < h; ++y)
        for (uint32_t x = 0; x < w; ++x) {
            uint8_t rgba[4];
            pattern_rgba(x, y, seed, rgba);
            const uint32_t row = bottom_up ? h - 1 - y : y;
            format.from_rgba8(rgba, p.owned.pixels.data() + uint64_t(row) * l.stride +
                                        uint64_t(x) * format.bytes_per_pixel);
        }
    return p;
}

// Nearest sampling as the GL shader does it: the source pixel under the target pixel's
// centre (on an edge: the pixel before it), rows of a bottom-up picture counted from its
// bottom edge.
inline uint32_t nearest_index(int32_t d, int32_t dst, uint32_t src, bool from_bottom) {
    const auto index = [&](int64_t twice_centre) {
        return uint32_t((twice_centre * src - 1) / (2 * int64_t(dst)));
    };
    return from_bottom ? src - 1 - index(2 * (dst - d) - 1) : index(2 * d + 1);
}

} // namespace udmaview::test
