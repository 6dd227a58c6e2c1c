// SPDX-License-Identifier: MIT
// What the SDL window shows and how big it is: one picture letterboxed, or with several
// sources a grid of tiles drawn by the shared TileCompositor; the window follows the picture
// (or the grid of the largest picture) until the user resizes it.
#include <algorithm>

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
    if (tiles_) { // a grid of the largest picture so far, each tile 1:1
        if (l.width <= tile_w_ && l.height <= tile_h_)
            return;
        tile_w_ = std::max(tile_w_, l.width);
        tile_h_ = std::max(tile_h_, l.height);
        grid_window_size(tiles_->tiles(), tile_w_, tile_h_, w, h);
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

void SdlOutput::drawable_size(uint32_t& w, uint32_t& h) const {
    int dw = 0, dh = 0;
    if (software_) { // the surface the picture was placed in (SDL sizes it in window units)
        dw = software_->surface_width();
        dh = software_->surface_height();
        if (dw <= 0 || dh <= 0)
            SDL_GetWindowSize(window_.get(), &dw, &dh);
    } else {
        SDL_GL_GetDrawableSize(window_.get(), &dw, &dh);
    }
    w = uint32_t(std::max(1, dw));
    h = uint32_t(std::max(1, dh));
}

const Layout* SdlOutput::shown_layout() const {
    return software_ ? software_->view().current_layout() : renderer_->current_layout();
}

Rect SdlOutput::shown_viewport(uint32_t w, uint32_t h) const {
    return software_ ? software_->view().viewport(w, h) : renderer_->viewport(w, h);
}

Region SdlOutput::draw_view(uint32_t w, uint32_t h) {
    if (!tiles_) {
        renderer_->draw(w, h);
        return renderer_->window_damage(w, h);
    }
    tiles_->draw(*renderer_, w, h);
    Region damage = tiles_->window_damage(*renderer_, w, h);
    tiles_->clear_damage();
    return damage;
}

void SdlOutput::source_ended(uint32_t source) {
    if (!tiles_)
        return;
    tiles_->set_ended(source);
    if (window_)
        (void)present(); // tiles are drawn by GL, whose present cannot fail
}

} // namespace udmaview
