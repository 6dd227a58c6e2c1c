// SPDX-License-Identifier: MIT
#pragma once

#include <SDL.h>
#include <string>
#include <utility>
#include <vector>

#include "outputs/sdl/software_view.h"
#include "udmaview/png.h"

namespace udmaview {

// The window surface of the software path (--sdl-path software): SoftwareView writes the
// changed pixels into SDL's window surface and only those rectangles go to the screen
// (SDL_UpdateWindowSurfaceRects; on X11 one XShmPutImage each). No GL anywhere, so a host
// without a GPU pays for the pixels that changed, not for a whole-window redraw.
class SoftwareWindow {
public:
    // window: made without SDL_WINDOW_OPENGL; it outlives this object.
    SoftwareWindow(SDL_Window* window, ScaleMode scale)
        : window_(window)
        , view_(scale) {}

    SoftwareView& view() { return view_; }
    const SoftwareView& view() const { return view_; }
    // Draws what changed into the window surface and pushes those rectangles; full: everything
    // (resize, expose). A new surface (SDL makes one after every size change) is drawn whole.
    Status present(bool full);
    // What the window surface holds now, as RGBA (for --dump-png).
    Result<RgbaImage> read_pixels();
    // software_path, software_updates, software_rects, software_pixels, software_full_redraws,
    // software_fast_rects, software_last_pixels (pixels pushed by the latest present that pushed
    // any).
    std::vector<std::pair<std::string, uint64_t>> counters() const;
    // The size of the surface last drawn (what the view is placed in); 0 before the first.
    int surface_width() const { return surface_w_; }
    int surface_height() const { return surface_h_; }

private:
    Result<SDL_Surface*> surface();
    // The window surface, locked for the CPU (the caller unlocks it), and its pixel layout.
    Result<SDL_Surface*> lock(Format& format);

    SDL_Window* window_;
    SoftwareView view_;
    SDL_Surface* surface_ = nullptr; // owned by SDL, valid until the window changes size
    int surface_w_ = 0, surface_h_ = 0;
    uint64_t updates_ = 0, rects_ = 0, pixels_ = 0, full_redraws_ = 0, fast_rects_ = 0,
             last_pixels_ = 0;
};

} // namespace udmaview
