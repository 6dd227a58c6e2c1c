// SPDX-License-Identifier: MIT
#include "outputs/sdl/software_window.h"

#include <cerrno>

#include "outputs/sdl/sdl_error.h"

namespace udmaview {

namespace {

uint8_t channel_bits(Uint32 mask, Uint8 loss) {
    return mask ? uint8_t(8 - loss) : 0;
}

// The surface's pixel layout as a Format (SDL's masks are of the native-endian pixel word,
// Format's of the little-endian one: the same on the little-endian hosts udmaview runs on).
// Its alpha, if any, is filled with 255.
Result<Format> surface_format(const SDL_PixelFormat& pf) {
    if (pf.BytesPerPixel < 2 || pf.BytesPerPixel > 4 || pf.palette)
        return Error{std::string("sdl: the window surface is ") +
                         SDL_GetPixelFormatName(pf.format) +
                         ", which the software path cannot draw into (use --sdl-path gl)",
                     ENOTSUP};
    Format f{};
    f.name = "window surface";
    f.bytes_per_pixel = pf.BytesPerPixel;
    f.has_alpha = pf.Amask != 0;
    f.r_shift = pf.Rshift;
    f.r_bits = channel_bits(pf.Rmask, pf.Rloss);
    f.g_shift = pf.Gshift;
    f.g_bits = channel_bits(pf.Gmask, pf.Gloss);
    f.b_shift = pf.Bshift;
    f.b_bits = channel_bits(pf.Bmask, pf.Bloss);
    f.a_shift = pf.Ashift;
    f.a_bits = channel_bits(pf.Amask, pf.Aloss);
    return f;
}

// Unlocks a surface that SoftwareWindow::lock() locked, on every path.
struct SurfaceUnlock {
    SDL_Surface* s;
    ~SurfaceUnlock() {
        if (SDL_MUSTLOCK(s))
            SDL_UnlockSurface(s);
    }
};

} // namespace

Result<SDL_Surface*> SoftwareWindow::lock(Format& format) {
    Result<SDL_Surface*> s = surface();
    if (!s)
        return s.error();
    Result<Format> f = surface_format(*(*s)->format);
    if (!f)
        return f.error();
    format = *f;
    if (SDL_MUSTLOCK(*s) && SDL_LockSurface(*s) != 0)
        return Error{"sdl: cannot lock the window's surface: " + sdl_error(), EIO};
    return *s;
}

Result<SDL_Surface*> SoftwareWindow::surface() {
    SDL_Surface* s = SDL_GetWindowSurface(window_);
    if (!s)
        return Error{"sdl: cannot get the window's surface: " + sdl_error(), ENOMEM};
    if (s != surface_ || s->w != surface_w_ || s->h != surface_h_) {
        view_.invalidate(); // a new surface holds nothing we drew
        surface_ = s;
        surface_w_ = s->w;
        surface_h_ = s->h;
    }
    return s;
}

Status SoftwareWindow::present(bool full) {
    if (full)
        view_.invalidate();
    Format format{};
    Result<SDL_Surface*> s = lock(format);
    if (!s)
        return s.error();
    SoftwareView::Drawn drawn;
    {
        const SurfaceUnlock unlock{*s};
        const PixelTarget target{static_cast<uint8_t*>((*s)->pixels), uint32_t((*s)->pitch),
                                 uint32_t((*s)->w), uint32_t((*s)->h), format};
        drawn = view_.draw(target);
    }
    std::vector<SDL_Rect> rects;
    rects.reserve(drawn.rects.rects().size());
    for (const Rect& r : drawn.rects.rects())
        rects.push_back(SDL_Rect{r.x, r.y, r.w, r.h});
    if (rects.empty())
        return {};
    if (SDL_UpdateWindowSurfaceRects(window_, rects.data(), int(rects.size())) != 0)
        return Error{"sdl: cannot put " + std::to_string(rects.size()) +
                         " rectangles of the window's surface on screen: " + sdl_error(),
                     EIO};
    ++updates_;
    rects_ += rects.size();
    last_pixels_ = uint64_t(drawn.rects.area());
    pixels_ += last_pixels_;
    full_redraws_ += drawn.full ? 1 : 0;
    fast_rects_ += drawn.fast_rects;
    return {};
}

Result<RgbaImage> SoftwareWindow::read_pixels() {
    Format format{};
    Result<SDL_Surface*> s = lock(format);
    if (!s)
        return s.error();
    const SurfaceUnlock unlock{*s};
    Layout l;
    l.width = uint32_t((*s)->w);
    l.height = uint32_t((*s)->h);
    l.stride = uint32_t((*s)->pitch);
    l.format = &format;
    RgbaImage image = to_rgba(l, static_cast<const uint8_t*>((*s)->pixels));
    for (size_t i = 3; i < image.pixels.size(); i += 4)
        image.pixels[i] = 255;
    return image;
}

std::vector<std::pair<std::string, uint64_t>> SoftwareWindow::counters() const {
    return {{"software_path", 1},
            {"software_updates", updates_},
            {"software_rects", rects_},
            {"software_pixels", pixels_},
            {"software_full_redraws", full_redraws_},
            {"software_fast_rects", fast_rects_},
            {"software_last_pixels", last_pixels_}};
}

} // namespace udmaview
