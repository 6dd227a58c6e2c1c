// SPDX-License-Identifier: MIT
#pragma once

#include <SDL.h>
#include <string>

namespace udmaview {

// SDL's last error for a message; SDL leaves it empty for some failures.
inline std::string sdl_error() {
    const char* e = SDL_GetError();
    return e && *e ? e : "unknown SDL error";
}

} // namespace udmaview
