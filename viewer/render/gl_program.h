// SPDX-License-Identifier: MIT
#pragma once

#include "render/gl_objects.h"
#include "udmaview/error.h"

namespace udmaview {

// Nearest sampling picks the texel under each target pixel's centre; a centre exactly on a
// texel edge is a tie whose outcome float rounding decides. Moving every sample back by a
// quarter of a target pixel's step (the smallest distance from a non-tied centre to an edge
// is half of it) sends ties to the texel before, in memory order, as the pixman renderer
// does. The move in texture coordinates for src_w × src_h texels shown on dst_w × dst_h.
struct Nudge {
    GLfloat st[2];
};
Nudge nearest_nudge(uint32_t src_w, uint32_t src_h, int32_t dst_w, int32_t dst_h);

// Compiles and links the embedded blit shaders (shaders/blit.*) with a_corner at attribute
// 0; what names the program in errors ("blit", "hud"). Needs a current GLES context.
Result<GlProgram> build_blit_program(const char* what);

// The blit program with its attribute and uniform locations and the unit quad it draws: what
// the picture and the --hud overlay both draw with. Needs a current GLES context.
class BlitProgram {
public:
    static Result<BlitProgram> create(const char* what);
    // Samples the texture bound to unit 0 over the current viewport. swizzle is a column-major
    // 4x4 matrix, bias a vec4 (see shaders/blit.frag); y0_top: the image's row 0 is its top.
    // nudge: nearest_nudge() of a nearest-filtered texture, else none.
    void draw(bool y0_top, const GLfloat* swizzle, const GLfloat* bias,
              const GLfloat* nudge = nullptr) const;
    // An overlay (the --hud, the guest pointer): texture, RGBA premultiplied by alpha with row
    // 0 at the top, blended over the current viewport (render/premultiply.h); the target keeps
    // its own alpha.
    void draw_blended(GLuint texture, const GLfloat* nudge = nullptr) const;
    bool valid() const { return program_.get() != 0; }

private:
    GlProgram program_;
    GlBuffer quad_;
    GLint corner_ = -1, y0_top_ = -1, texture_ = -1, swizzle_ = -1, bias_ = -1, nudge_ = -1;
};

} // namespace udmaview
