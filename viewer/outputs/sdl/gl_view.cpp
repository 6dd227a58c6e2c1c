// SPDX-License-Identifier: MIT
#include "outputs/sdl/gl_view.h"

#include <EGL/egl.h>
#include <algorithm>
#include <cerrno>
#include <iostream>

#include "outputs/sdl/sdl_error.h"

namespace udmaview {

Result<std::unique_ptr<GlView>> GlView::create(SDL_Window* window, const RendererOptions& ro,
                                               bool vsync) {
    std::unique_ptr<GlView> v(new GlView(window));
    for (int major : {3, 2}) {
        SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, major);
        SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 0);
        v->context_.reset(SDL_GL_CreateContext(window));
        if (v->context_)
            break;
    }
    if (!v->context_)
        return Error{"sdl: cannot create an OpenGL ES 3.0 or 2.0 context: " + sdl_error(), ENODEV};
    if (SDL_GL_MakeCurrent(window, v->context_.get()) != 0)
        return Error{"sdl: cannot make the GLES context current: " + sdl_error(), ENODEV};
    if (SDL_GL_SetSwapInterval(vsync ? 1 : 0) != 0)
        std::cerr << "sdl: --vsync " << (vsync ? "on" : "off") << " is not available here ("
                  << sdl_error() << "); swapping as the driver does\n";
    const EGLDisplay display = eglGetCurrentDisplay();
    v->surface_ = eglGetCurrentSurface(EGL_DRAW);
    Result<std::unique_ptr<GlesSceneRenderer>> renderer = GlesSceneRenderer::create(display, ro);
    if (!renderer)
        return Error{"sdl: " + renderer.error().message, renderer.error().errnum};
    v->renderer_ = std::move(*renderer);
    v->damage_swap_ = std::make_unique<EglDamageSwap>(display);
    if (ro.verbose) {
        const GlesRenderer& t = v->renderer_->textures();
        std::cerr << "sdl: " << t.gl_renderer() << ", " << t.gl_version()
                  << "; EGL display: " << (display != EGL_NO_DISPLAY ? "yes" : "no (not EGL)")
                  << "; dma-buf import: " << (t.can_import() ? "yes" : "no")
                  << (t.has_import_modifiers() ? " (+modifiers)" : "") << "; swap with damage: "
                  << (v->damage_swap_->available() ? v->damage_swap_->extension() : "no")
                  << "; GL_MAX_TEXTURE_SIZE " << t.max_texture_size() << "\n";
    }
    return v;
}

GlView::~GlView() {
    // GL objects go while their context is current.
    if (context_)
        make_current();
    renderer_.reset();
}

void GlView::make_current() const {
    if (SDL_GL_GetCurrentContext() != context_.get())
        SDL_GL_MakeCurrent(window_, context_.get());
}

void GlView::drawable_size(uint32_t& w, uint32_t& h) const {
    int dw = 0, dh = 0;
    SDL_GL_GetDrawableSize(window_, &dw, &dh);
    w = uint32_t(std::max(1, dw));
    h = uint32_t(std::max(1, dh));
}

Status GlView::update(const Frame& frame, SubmitStats& stats) {
    make_current();
    return renderer_->update(frame, stats);
}

void GlView::retire(BufferId id) {
    make_current();
    renderer_->retire(id);
}

Status GlView::present(Scene& scene) {
    make_current();
    uint32_t w = 0, h = 0;
    drawable_size(w, h);
    scene.resize(w, h);
    if (scene.damage().empty())
        return {};
    // The back buffer holds an older frame (or nothing): it is drawn whole; the damage only
    // tells the display server what changed.
    if (Status s = renderer_->draw(scene, Region(Rect{0, 0, int32_t(w), int32_t(h)})); !s)
        return s;
    bool swapped = false;
    if (damage_swap_->available()) {
        swapped = damage_swap_->swap(surface_, scene.damage(), int32_t(h));
        if (swapped) {
            ++swaps_with_damage_;
            swap_damage_pixels_ += uint64_t(scene.damage().area());
        }
    }
    if (!swapped) {
        SDL_GL_SwapWindow(window_);
        ++swaps_full_;
    }
    scene.clear_damage();
    return {};
}

Result<RgbaImage> GlView::read_pixels(Scene& scene) {
    make_current();
    uint32_t w = 0, h = 0;
    drawable_size(w, h);
    scene.resize(w, h);
    if (Status s = renderer_->draw(scene, Region(Rect{0, 0, int32_t(w), int32_t(h)})); !s)
        return s.error();
    RgbaImage image = renderer_->textures().read_pixels(w, h);
    SDL_GL_SwapWindow(window_);
    scene.clear_damage();
    return image;
}

std::vector<std::pair<std::string, uint64_t>> GlView::counters() const {
    const bool swap_damage = damage_swap_ && damage_swap_->available();
    const bool import = renderer_ && renderer_->textures().can_import();
    return {{"gl_path", 1},
            {"egl_swap_with_damage", swap_damage ? 1 : 0},
            {"egl_dma_buf_import", import ? 1 : 0},
            {"swaps_with_damage", swaps_with_damage_},
            {"swaps_full", swaps_full_},
            {"swap_damage_pixels", swap_damage_pixels_}};
}

} // namespace udmaview
