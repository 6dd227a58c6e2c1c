// SPDX-License-Identifier: MIT
#include "render/gl_format.h"

#include <GLES3/gl3.h>
#include <algorithm>
#include <cmath>

namespace udmaview {

namespace {

// Output channel row (0 = R … 3 = A) takes texture channel col.
void pick(std::array<float, 16>& m, unsigned row, unsigned col) {
    m[col * 4 + row] = 1.0f;
}

} // namespace

std::optional<GlTextureFormat> gl_upload_format(const Format& f) {
    GlTextureFormat g;
    g.bytes_per_pixel = f.bytes_per_pixel;
    g.bias = {0, 0, 0, 1};
    const bool bytes8 = f.r_bits == 8 && f.g_bits == 8 && f.b_bits == 8 && f.r_shift % 8 == 0 &&
                        f.g_shift % 8 == 0 && f.b_shift % 8 == 0;
    if (bytes8 && f.bytes_per_pixel == 4) {
        // Little-endian word: the channel at bit s is byte s / 8, i.e. texture channel s / 8.
        g.internal_format = GL_RGBA8;
        g.unsized_format = g.format = GL_RGBA;
        g.type = GL_UNSIGNED_BYTE;
    } else if (bytes8 && f.bytes_per_pixel == 3) {
        g.internal_format = GL_RGB8;
        g.unsized_format = g.format = GL_RGB;
        g.type = GL_UNSIGNED_BYTE;
    } else if (f.bytes_per_pixel == 2 && f.r_shift == 11 && f.r_bits == 5 && f.g_shift == 5 &&
               f.g_bits == 6 && f.b_shift == 0 && f.b_bits == 5) {
        // GL_UNSIGNED_SHORT_5_6_5 keeps red in the top bits of a native 16-bit word: the same
        // as DRM's RGB565, so the texture is already R, G, B.
        g.internal_format = GL_RGB565;
        g.unsized_format = g.format = GL_RGB;
        g.type = GL_UNSIGNED_SHORT_5_6_5;
        pick(g.swizzle, 0, 0);
        pick(g.swizzle, 1, 1);
        pick(g.swizzle, 2, 2);
        return g;
    } else {
        return std::nullopt;
    }
    pick(g.swizzle, 0, f.r_shift / 8);
    pick(g.swizzle, 1, f.g_shift / 8);
    pick(g.swizzle, 2, f.b_shift / 8);
    return g;
}

GlTextureFormat gl_import_format(const Format& f) {
    GlTextureFormat g;
    g.bytes_per_pixel = f.bytes_per_pixel;
    g.bias = {0, 0, 0, 1};
    pick(g.swizzle, 0, 0);
    pick(g.swizzle, 1, 1);
    pick(g.swizzle, 2, 2);
    return g;
}

std::array<uint8_t, 3> apply_swizzle(const GlTextureFormat& f,
                                     const std::array<uint8_t, 4>& texel) {
    std::array<uint8_t, 3> out{};
    for (unsigned row = 0; row < 3; ++row) {
        float v = f.bias[row] * 255.0f;
        for (unsigned col = 0; col < 4; ++col)
            v += f.swizzle[col * 4 + row] * float(texel[col]);
        out[row] = uint8_t(std::clamp(std::lround(v), 0l, 255l));
    }
    return out;
}

UploadPlan plan_upload(const Layout& layout, const Region& region, bool have_row_length) {
    UploadPlan plan;
    if (!layout.format)
        return plan;
    const unsigned bpp = layout.format->bytes_per_pixel;
    const bool whole_pixels = layout.stride % bpp == 0;
    const uint32_t row_length = have_row_length && whole_pixels ? layout.stride / bpp : 0;
    const Region clipped = region.intersected(layout.bounds());
    for (const Rect& r : clipped.rects()) {
        const uint64_t offset = layout.offset + uint64_t(r.y) * layout.stride + uint64_t(r.x) * bpp;
        plan.ops.push_back({r, offset, row_length});
        plan.bytes += uint64_t(r.area()) * bpp;
    }
    return plan;
}

} // namespace udmaview
