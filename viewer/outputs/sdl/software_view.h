// SPDX-License-Identifier: MIT
#pragma once

#include <SDL.h>
#include <memory>

#include "outputs/sdl/view.h"
#include "render/pixman_renderer.h"

namespace udmaview {

// The software view (--sdl-path software): no GL anywhere. The pixman renderer draws the
// scene's damage into SDL's window surface (plain memory; on X11 a shared-memory image) and
// only those rectangles go to the screen (SDL_UpdateWindowSurfaceRects, one XShmPutImage
// each), so a host without a GPU pays for the pixels that changed, not for a whole-window
// redraw. A new surface (SDL makes one after every size change) is drawn whole.
class SoftwareView final : public SdlView {
public:
    // window: made without SDL_WINDOW_OPENGL; it outlives the view.
    static Result<std::unique_ptr<SoftwareView>> create(SDL_Window* window);

    const char* name() const override { return "software"; }
    void drawable_size(uint32_t& w, uint32_t& h) const override;
    Status update(const Frame& frame, SubmitStats& stats) override;
    void retire(BufferId id) override { renderer_->retire(id); }
    Status present(Scene& scene) override;
    Result<RgbaImage> read_pixels(Scene& scene) override;
    std::string frame_path() const override { return "software"; }
    // software_path, software_updates (presents that pushed pixels), software_rects,
    // software_pixels, software_full_redraws, software_last_pixels (pixels pushed by the
    // latest present that pushed any).
    std::vector<std::pair<std::string, uint64_t>> counters() const override;

private:
    explicit SoftwareView(SDL_Window* window)
        : window_(window) {}
    // The window surface, locked for the CPU until unlock(), as a render target.
    Result<RenderTarget> lock();
    void unlock();

    SDL_Window* window_;
    std::unique_ptr<PixmanRenderer> renderer_;
    SDL_Surface* surface_ = nullptr; // owned by SDL, valid until the window changes size
    void* surface_pixels_ = nullptr; // what the renderer's target is
    uint64_t updates_ = 0, rects_ = 0, pixels_ = 0, full_redraws_ = 0, last_pixels_ = 0;
};

// The DRM fourcc of an SDL surface format the pixman renderer can draw into; 0 if none.
uint32_t sdl_surface_fourcc(uint32_t sdl_format);

} // namespace udmaview
