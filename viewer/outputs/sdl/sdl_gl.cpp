// SPDX-License-Identifier: MIT
// The gl path's half of the window: a GLES context on EGL, the shared renderer, swap with
// damage where the display has it, and the overlay.
#include <EGL/egl.h>
#include <iostream>

#include "outputs/sdl/sdl_error.h"
#include "outputs/sdl/sdl_output.h"

namespace udmaview {

Status SdlOutput::init_gl() {
    for (int major : {3, 2}) {
        SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, major);
        SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 0);
        context_.reset(SDL_GL_CreateContext(window_.get()));
        if (context_)
            break;
    }
    if (!context_)
        return Error{"sdl: cannot create an OpenGL ES 3.0 or 2.0 context: " + sdl_error(), ENODEV};
    if (SDL_GL_MakeCurrent(window_.get(), context_.get()) != 0)
        return Error{"sdl: cannot make the GLES context current: " + sdl_error(), ENODEV};
    if (SDL_GL_SetSwapInterval(options_.vsync ? 1 : 0) != 0)
        std::cerr << "sdl: --vsync " << (options_.vsync ? "on" : "off")
                  << " is not available here (" << sdl_error()
                  << "); swapping as the driver does\n";

    const EGLDisplay display = eglGetCurrentDisplay();
    surface_ = eglGetCurrentSurface(EGL_DRAW);
    RendererOptions ro;
    ro.scale = options_.scale;
    ro.linear = options_.linear;
    ro.allow_import = options_.allow_import;
    ro.verbose = options_.verbose;
    Result<std::unique_ptr<GlesRenderer>> renderer = GlesRenderer::create(display, ro);
    if (!renderer)
        return Error{"sdl: " + renderer.error().message, renderer.error().errnum};
    renderer_ = std::move(*renderer);
    damage_swap_ = std::make_unique<EglDamageSwap>(display);
    if (options_.verbose)
        std::cerr << "sdl: " << renderer_->gl_renderer() << ", " << renderer_->gl_version()
                  << "; EGL display: " << (display != EGL_NO_DISPLAY ? "yes" : "no (not EGL)")
                  << "; dma-buf import: " << (renderer_->can_import() ? "yes" : "no")
                  << (renderer_->has_import_modifiers() ? " (+modifiers)" : "")
                  << "; swap with damage: "
                  << (damage_swap_->available() ? damage_swap_->extension() : "no")
                  << "; GL_MAX_TEXTURE_SIZE " << renderer_->max_texture_size() << "\n";
    if (options_.hud) {
        Result<std::unique_ptr<HudLayer>> hud = HudLayer::create(true);
        if (!hud)
            return Error{"sdl: --hud: " + hud.error().message, hud.error().errnum};
        hud_ = std::move(*hud);
    }
    return {};
}

} // namespace udmaview
