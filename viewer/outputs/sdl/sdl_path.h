// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <string_view>

#include "render/rasterizer.h"

namespace udmaview {

// --sdl-path: which view draws the window (outputs/sdl/view.h).
enum class SdlPath { Auto, Gl, Software };

// The line auto prints: what it chose and why. gl_renderer: the probe's GL_RENDERER, or empty
// when GL could not start (gl_error says why).
std::string sdl_auto_line(bool software, std::string_view gl_renderer, std::string_view gl_error);

} // namespace udmaview
