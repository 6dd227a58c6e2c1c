// SPDX-License-Identifier: MIT
#pragma once

#include "render/gl_objects.h"
#include "udmaview/error.h"

namespace udmaview {

// Compiles and links the embedded blit shaders (shaders/blit.*) with a_corner at attribute
// 0; what names the program in errors ("blit", "hud"). Needs a current GLES context.
Result<GlProgram> build_blit_program(const char* what);

} // namespace udmaview
