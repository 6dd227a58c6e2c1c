// SPDX-License-Identifier: MIT
// How big the SDL window is: it follows the picture (or with several sources the grid of the
// largest picture, each tile 1:1) until the user resizes it.
#include <algorithm>
#include <iostream>

#include "outputs/sdl/sdl_output.h"

namespace udmaview {

void SdlOutput::window_size_for(uint32_t& w, uint32_t& h) const {
    // A picture larger than the screen gets a window that fits (scaled down, aspect kept).
    SDL_Rect usable{};
    if (SDL_GetDisplayUsableBounds(0, &usable) == 0 && usable.w > 0 && usable.h > 0 &&
        (w > uint32_t(usable.w) || h > uint32_t(usable.h))) {
        const Rect fit =
            compute_viewport(w, h, uint32_t(usable.w), uint32_t(usable.h), ScaleMode::Fit);
        w = uint32_t(std::max(1, fit.w));
        h = uint32_t(std::max(1, fit.h));
    }
}

void SdlOutput::follow_frame_size(const Layout& l) {
    // The window follows the picture's size (first frame, guest mode changes) until the user
    // resizes it.
    if (l.width == frame_w_ && l.height == frame_h_)
        return;
    frame_w_ = l.width;
    frame_h_ = l.height;
    if (user_sized_ || fullscreen_)
        return;
    uint32_t w = l.width, h = l.height;
    if (scene_.tiles() > 1) { // a grid of the largest picture so far, each tile 1:1
        if (l.width <= tile_w_ && l.height <= tile_h_)
            return;
        tile_w_ = std::max(tile_w_, l.width);
        tile_h_ = std::max(tile_h_, l.height);
        grid_window_size(scene_.tiles(), tile_w_, tile_h_, w, h);
    }
    window_size_for(w, h);
    int ww = 0, wh = 0;
    SDL_GetWindowSize(window_.get(), &ww, &wh);
    if (ww == int(w) && wh == int(h))
        return;
    requested_w_ = int32_t(w);
    requested_h_ = int32_t(h);
    SDL_SetWindowSize(window_.get(), int(w), int(h));
    redraw_ = true;
}

void SdlOutput::send_wanted_sizes(OutputSink& sink) {
    if (!window_ || !view_)
        return;
    size_wanted_ = false;
    uint32_t dw = 0, dh = 0;
    view_->drawable_size(dw, dh);
    scene_.resize(dw, dh);
    // Millimetres from the display's DPI (in drawable pixels) when the server reports it.
    float hdpi = 0, vdpi = 0;
    const int display = SDL_GetWindowDisplayIndex(window_.get());
    if (display < 0 || SDL_GetDisplayDPI(display, nullptr, &hdpi, &vdpi) != 0)
        hdpi = vdpi = 0;
    int ww = 0, wh = 0;
    SDL_GetWindowSize(window_.get(), &ww, &wh);
    const double px_per_dot = ww > 0 ? double(dw) / ww : 1.0;
    const auto mm = [&](int32_t px, float dpi) {
        return dpi > 1 ? uint32_t(px * 25.4 / (dpi * px_per_dot) + 0.5) : 0u;
    };
    for (uint32_t i = 0; i < scene_.tiles(); ++i) {
        const Rect a = scene_.area(i);
        if (a.empty())
            continue;
        const WantedSize size{uint32_t(a.w), uint32_t(a.h), mm(a.w, hdpi), mm(a.h, vdpi)};
        if (options_.verbose)
            std::cerr << "sdl: source " << i + 1 << " has " << size.width << "x" << size.height
                      << " pixels (" << size.width_mm << "x" << size.height_mm << " mm)\n";
        sink.on_size_wanted(i, size);
    }
}

void SdlOutput::source_ended(uint32_t source) {
    if (scene_.tiles() == 1)
        return;
    scene_.set_ended(source);
    if (view_)
        if (Status s = present(); !s)
            std::cerr << "sdl: cannot show that source " << source + 1
                      << " ended: " << s.error().message << "\n";
}

} // namespace udmaview
