// SPDX-License-Identifier: MIT
#pragma once

#include "render/gl_objects.h"
#include "udmaview/error.h"

namespace udmaview {

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
    void draw(bool y0_top, const GLfloat* swizzle, const GLfloat* bias) const;
    // An overlay (the --hud, the guest pointer): texture, RGBA with straight alpha and row 0 at
    // the top, blended over the current viewport; the target keeps its own alpha.
    void draw_blended(GLuint texture) const;
    bool valid() const { return program_.get() != 0; }

private:
    GlProgram program_;
    GlBuffer quad_;
    GLint corner_ = -1, y0_top_ = -1, texture_ = -1, swizzle_ = -1, bias_ = -1;
};

} // namespace udmaview
