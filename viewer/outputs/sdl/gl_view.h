// SPDX-License-Identifier: MIT
#pragma once

#include <SDL.h>
#include <memory>

#include "outputs/sdl/egl_swap.h"
#include "outputs/sdl/view.h"
#include "render/gles_scene_renderer.h"

namespace udmaview {

// The gl view (--sdl-path gl): a GLES context on EGL in the window, the scene drawn by
// GlesSceneRenderer (dma-buf import or damaged-rect upload) into the back buffer, swapped
// with the scene's damage where EGL can (eglSwapBuffersWithDamage), whole otherwise.
class GlView final : public SdlView {
public:
    // window: made with SDL_WINDOW_OPENGL; it outlives the view.
    static Result<std::unique_ptr<GlView>> create(SDL_Window* window, const RendererOptions& ro,
                                                  bool vsync);
    ~GlView() override;
    GlView(const GlView&) = delete;
    GlView& operator=(const GlView&) = delete;

    // GL_RENDERER, e.g. "llvmpipe (LLVM 15.0.6, 256 bits)".
    const std::string& gl_renderer() const { return renderer_->textures().gl_renderer(); }

    const char* name() const override { return "gl"; }
    void drawable_size(uint32_t& w, uint32_t& h) const override;
    Status update(const Frame& frame, SubmitStats& stats) override;
    void retire(BufferId id) override;
    Status present(Scene& scene) override;
    Result<RgbaImage> read_pixels(Scene& scene) override;
    std::string frame_path() const override { return renderer_->textures().current_path(); }
    // gl_path, egl_swap_with_damage, egl_dma_buf_import (1: the EGL display offers it),
    // swaps_with_damage, swaps_full, swap_damage_pixels (window pixels named in damaged swaps).
    std::vector<std::pair<std::string, uint64_t>> counters() const override;

private:
    struct ContextDeleter {
        void operator()(void* c) const { SDL_GL_DeleteContext(c); }
    };
    explicit GlView(SDL_Window* window)
        : window_(window) {}
    void make_current() const;

    SDL_Window* window_;
    std::unique_ptr<void, ContextDeleter> context_;
    std::unique_ptr<GlesSceneRenderer> renderer_;
    std::unique_ptr<EglDamageSwap> damage_swap_;
    EGLSurface surface_ = EGL_NO_SURFACE;
    uint64_t swaps_with_damage_ = 0, swaps_full_ = 0, swap_damage_pixels_ = 0;
};

} // namespace udmaview
