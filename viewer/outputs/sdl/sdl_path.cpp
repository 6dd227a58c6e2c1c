// SPDX-License-Identifier: MIT
#include "outputs/sdl/sdl_path.h"

#include <string>

namespace udmaview {

std::string sdl_auto_line(bool software, std::string_view gl_renderer, std::string_view gl_error) {
    const std::string head = "sdl: --sdl-path auto chose ";
    if (!software)
        return head + "gl: the GL renderer is " + std::string(gl_renderer) +
               " (use --sdl-path software to draw on the CPU instead)";
    if (gl_renderer.empty())
        return head + "software: GL cannot start here (" + std::string(gl_error) +
               "); the CPU draws only the changed pixels";
    return head + "software: the GL renderer is " + std::string(gl_renderer) +
           ", a software rasterizer that would redraw the whole window on the CPU; pixman "
           "draws only the changed pixels (use --sdl-path gl to use GL anyway)";
}

} // namespace udmaview
