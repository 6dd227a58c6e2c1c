// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <string_view>

namespace udmaview {

// --sdl-path: which view draws the window (outputs/sdl/view.h).
enum class SdlPath { Auto, Gl, Software };

// GL_RENDERER strings of Mesa's CPU rasterizers (llvmpipe, softpipe, swrast): GL there redraws
// the whole window on the CPU, so auto takes the software view, which draws only what changed.
bool is_software_rasterizer(std::string_view gl_renderer);

// The line auto prints: what it chose and why. gl_renderer: the probe's GL_RENDERER, or empty
// when GL could not start (gl_error says why).
std::string sdl_auto_line(bool software, std::string_view gl_renderer, std::string_view gl_error);

} // namespace udmaview
