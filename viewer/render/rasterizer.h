// SPDX-License-Identifier: MIT
#pragma once

#include <string_view>

namespace udmaview {

// GL_RENDERER strings of Mesa's CPU rasterizers (llvmpipe, softpipe, swrast): GL there redraws
// its whole target on the CPU, so the outputs' auto paths draw with pixman instead, which
// draws only what changed.
bool is_software_rasterizer(std::string_view gl_renderer);

} // namespace udmaview
