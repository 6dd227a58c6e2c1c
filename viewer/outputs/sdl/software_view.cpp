// SPDX-License-Identifier: MIT
#include "outputs/sdl/software_view.h"

#include <algorithm>
#include <cerrno>
#include <vector>

#include "outputs/sdl/sdl_error.h"

namespace udmaview {

uint32_t sdl_surface_fourcc(uint32_t sdl_format) {
    // SDL names packed formats by the native-endian pixel word from its top bits, DRM by the
    // little-endian one from its top bits: the same words on the little-endian hosts udmaview
    // runs on. SDL's byte-array formats (RGB24: bytes R, G, B) are DRM's reversed names.
    switch (sdl_format) {
    case SDL_PIXELFORMAT_RGB888:
        return make_fourcc('X', 'R', '2', '4');
    case SDL_PIXELFORMAT_ARGB8888:
        return make_fourcc('A', 'R', '2', '4');
    case SDL_PIXELFORMAT_BGR888:
        return make_fourcc('X', 'B', '2', '4');
    case SDL_PIXELFORMAT_ABGR8888:
        return make_fourcc('A', 'B', '2', '4');
    case SDL_PIXELFORMAT_RGBX8888:
        return make_fourcc('R', 'X', '2', '4');
    case SDL_PIXELFORMAT_BGRX8888:
        return make_fourcc('B', 'X', '2', '4');
    case SDL_PIXELFORMAT_RGB24:
        return make_fourcc('B', 'G', '2', '4');
    case SDL_PIXELFORMAT_BGR24:
        return make_fourcc('R', 'G', '2', '4');
    case SDL_PIXELFORMAT_RGB565:
        return make_fourcc('R', 'G', '1', '6');
    default:
        return 0;
    }
}

Result<std::unique_ptr<SoftwareView>> SoftwareView::create(SDL_Window* window) {
    std::unique_ptr<SoftwareView> v(new SoftwareView(window));
    Result<RenderTarget> target = v->lock();
    if (!target)
        return target.error();
    Result<std::unique_ptr<PixmanRenderer>> renderer = PixmanRenderer::create(*target);
    v->unlock();
    if (!renderer)
        return Error{"sdl: the window surface: " + renderer.error().message,
                     renderer.error().errnum};
    v->renderer_ = std::move(*renderer);
    v->surface_pixels_ = target->pixels;
    return v;
}

Result<RenderTarget> SoftwareView::lock() {
    SDL_Surface* s = SDL_GetWindowSurface(window_);
    if (!s)
        return Error{"sdl: cannot get the window's surface: " + sdl_error(), ENOMEM};
    const uint32_t fourcc = sdl_surface_fourcc(s->format->format);
    if (!fourcc)
        return Error{std::string("sdl: the window surface is ") +
                         SDL_GetPixelFormatName(s->format->format) +
                         ", which the software view cannot draw into (use --sdl-path gl)",
                     ENOTSUP};
    if (SDL_MUSTLOCK(s) && SDL_LockSurface(s) != 0)
        return Error{"sdl: cannot lock the window's surface: " + sdl_error(), EIO};
    surface_ = s;
    return RenderTarget{static_cast<uint8_t*>(s->pixels), uint32_t(s->pitch), uint32_t(s->w),
                        uint32_t(s->h), fourcc};
}

void SoftwareView::unlock() {
    if (surface_ && SDL_MUSTLOCK(surface_))
        SDL_UnlockSurface(surface_);
}

void SoftwareView::drawable_size(uint32_t& w, uint32_t& h) const {
    int sw = 0, sh = 0;
    // The surface the scene is drawn into: SDL sizes it in window units.
    SDL_GetWindowSize(window_, &sw, &sh);
    w = uint32_t(std::max(1, sw));
    h = uint32_t(std::max(1, sh));
}

Status SoftwareView::update(const Frame& frame, SubmitStats& stats) {
    Status s = renderer_->update(frame, stats);
    stats.path = "software";
    return s;
}

Status SoftwareView::present(Scene& scene) {
    const SDL_Surface* before = surface_;
    Result<RenderTarget> target = lock();
    if (!target)
        return target.error();
    // A new surface holds nothing drawn yet.
    if (surface_ != before || target->pixels != surface_pixels_ || target->width != scene.width() ||
        target->height != scene.height()) {
        scene.resize(target->width, target->height);
        scene.invalidate();
    }
    Status drawn = renderer_->set_target(*target);
    surface_pixels_ = target->pixels;
    const Region damage =
        scene.damage().intersected(Rect{0, 0, int32_t(target->width), int32_t(target->height)});
    if (drawn)
        drawn = renderer_->draw(scene, damage);
    unlock();
    scene.clear_damage();
    if (!drawn)
        return drawn;
    std::vector<SDL_Rect> rects;
    rects.reserve(damage.rects().size());
    for (const Rect& r : damage.rects())
        rects.push_back(SDL_Rect{r.x, r.y, r.w, r.h});
    if (rects.empty())
        return {};
    if (SDL_UpdateWindowSurfaceRects(window_, rects.data(), int(rects.size())) != 0)
        return Error{"sdl: cannot put " + std::to_string(rects.size()) +
                         " rectangles of the window's surface on screen: " + sdl_error(),
                     EIO};
    ++updates_;
    rects_ += rects.size();
    last_pixels_ = uint64_t(damage.area());
    pixels_ += last_pixels_;
    if (last_pixels_ == uint64_t(target->width) * target->height)
        ++full_redraws_;
    return {};
}

Result<RgbaImage> SoftwareView::read_pixels(Scene& scene) {
    if (Status s = present(scene); !s)
        return s.error();
    Result<RenderTarget> target = lock();
    if (!target)
        return target.error();
    Layout l;
    l.width = target->width;
    l.height = target->height;
    l.stride = target->stride;
    l.format = find_format(target->fourcc);
    RgbaImage image = to_rgba(l, target->pixels);
    unlock();
    for (size_t i = 3; i < image.pixels.size(); i += 4)
        image.pixels[i] = 255;
    return image;
}

std::vector<std::pair<std::string, uint64_t>> SoftwareView::counters() const {
    return {{"software_path", 1},
            {"software_updates", updates_},
            {"software_rects", rects_},
            {"software_pixels", pixels_},
            {"software_full_redraws", full_redraws_},
            {"software_last_pixels", last_pixels_}};
}

} // namespace udmaview
