// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "udmaview/format.h"
#include "udmaview/frame.h"
#include "udmaview/region.h"

namespace udmaview {

// How a buffer format is stored in a GLES texture and turned back into R, G, B by the blit
// shader (shaders/blit.frag: out = swizzle * texel + bias). Pure data: no GL calls.
struct GlTextureFormat {
    uint32_t internal_format = 0; // sized (GLES 3) internal format, e.g. GL_RGBA8
    uint32_t unsized_format = 0;  // GLES 2 internal format (= format)
    uint32_t format = 0;          // pixel transfer format, e.g. GL_RGBA
    uint32_t type = 0;            // e.g. GL_UNSIGNED_BYTE
    unsigned bytes_per_pixel = 0;
    std::array<float, 16> swizzle{}; // column-major mat4
    std::array<float, 4> bias{};
};

// The upload layout of format: the buffer's bytes go into the texture as they are and the
// swizzle puts the channels in place. nullopt when GLES cannot take the format byte for byte.
std::optional<GlTextureFormat> gl_upload_format(const Format& format);
// For a texture made from an imported dma-buf: the driver decodes the fourcc, so the
// swizzle is the identity; alpha is forced to 1 (the preview is opaque).
GlTextureFormat gl_import_format(const Format& format);

// Applies a GlTextureFormat's swizzle to a texel (0..255 per channel) the way the shader
// does; for tests.
std::array<uint8_t, 3> apply_swizzle(const GlTextureFormat& f, const std::array<uint8_t, 4>& texel);

// One glTexSubImage2D call of the upload fallback.
struct UploadOp {
    Rect rect;            // texture (= buffer) pixels
    uint64_t byte_offset; // of the rect's first pixel, from the start of the buffer's bytes
    uint32_t row_length;  // GL_UNPACK_ROW_LENGTH in pixels; 0: the rect goes up row by row
};
struct UploadPlan {
    std::vector<UploadOp> ops;
    uint64_t bytes = 0; // pixels read from the buffer: region area × bytes per pixel
};
// Plans the upload of exactly the pixels of region (clipped to the layout). With
// have_row_length (GLES 3 or GL_EXT_unpack_subimage) and a stride that is a whole number of
// pixels, each rect is one call; otherwise each row is.
UploadPlan plan_upload(const Layout& layout, const Region& region, bool have_row_length);

} // namespace udmaview
