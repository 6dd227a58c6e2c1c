// SPDX-License-Identifier: MIT
#pragma once

#include <SDL.h>
#include <memory>
#include <set>
#include <string>

#include "outputs/sdl/egl_swap.h"
#include "outputs/sdl/software_window.h"
#include "render/gles_renderer.h"
#include "render/hud_layer.h"
#include "render/tile_compositor.h"
#include "render/viewport.h"
#include "udmaview/output.h"

namespace udmaview {

struct SdlOptions {
    uint32_t width = 1024, height = 768; // first window size (until a frame says otherwise)
    ScaleMode scale = ScaleMode::Fit;
    bool linear = true;
    bool vsync = true;
    bool fullscreen = false;
    bool allow_import = true; // false: always upload damaged rects (the fallback path)
    bool verbose = false;
    std::string dump_png; // when the run ends, write what the window shows (glReadPixels)
    uint64_t hold_ms = 0; // keep the last frame up this long after the run ends
    bool hud = false;     // start with the --hud overlay shown (Ctrl+Alt+H toggles it)
    uint32_t sources = 1; // more than one: tiles (Frame::source), focus, layout keys
    // --sdl-path software: no GL; changed pixels go into SDL's window surface (SoftwareWindow).
    // One source, no hud, nearest sampling: the command line refuses the rest.
    bool software = false;
};

// The preview window: SDL2 with a GLES context on EGL, drawn by GlesRenderer (or, on the
// software path, SDL's window surface written by SoftwareWindow); forwards keyboard and mouse
// to the source. SDL has no fd to poll, so the presenter dispatches it
// every few milliseconds (dispatch_interval_ns).
class SdlOutput : public Output {
public:
    explicit SdlOutput(SdlOptions options);
    ~SdlOutput() override;

    std::string name() const override { return "sdl"; }
    Status start() override;
    void stop() override;
    uint64_t dispatch_interval_ns() const override { return 4'000'000; }
    void dispatch(OutputSink& sink) override;
    bool busy() const override { return false; }
    Status submit(const Frame& frame, SubmitStats& stats, OutputSink& sink) override;
    // Presents what submit() updated: right away with one source, once per round with several.
    void flush(OutputSink& sink) override;
    void retire(BufferId id) override;
    Status finish(const Frame* last) override;
    uint32_t input_source() const override { return tiles_ ? tiles_->focus() : 0; }
    void source_ended(uint32_t source) override;
    // egl_swap_with_damage, egl_dma_buf_import (1: the EGL display offers it), swaps_with_damage,
    // swaps_full, swap_damage_pixels (window pixels named in damaged swaps); on the software
    // path SoftwareWindow::counters() instead.
    std::vector<std::pair<std::string, uint64_t>> counters() const override;

private:
    struct SdlVideo {
        SdlVideo() = default;
        SdlVideo(const SdlVideo&) = delete;
        SdlVideo& operator=(const SdlVideo&) = delete;
        ~SdlVideo() { SDL_QuitSubSystem(SDL_INIT_VIDEO); }
    };
    struct WindowDeleter {
        void operator()(SDL_Window* w) const { SDL_DestroyWindow(w); }
    };
    struct ContextDeleter {
        void operator()(void* c) const { SDL_GL_DeleteContext(c); }
    };

    Status open_window();
    // The GLES context, renderer and damage swap of the gl path, in the new window.
    Status init_gl();
    void handle_event(const SDL_Event& event, OutputSink* sink);
    void handle_key(const SDL_KeyboardEvent& key, OutputSink* sink);
    void pointer_to_source(int32_t wx, int32_t wy, OutputSink* sink, bool force);
    void set_grab(bool grab);
    void toggle_fullscreen();
    void drawable_size(uint32_t& w, uint32_t& h) const;
    // The window size for a picture: the picture's, fitted to the screen when larger.
    void window_size_for(uint32_t& w, uint32_t& h) const;
    void follow_frame_size(const Layout& layout);
    // Draws the picture (or the tiles) into the drawable; what changed, in window pixels.
    Region draw_view(uint32_t w, uint32_t h);
    // Ctrl+Alt+Left/Right, Ctrl+Alt+L with several sources; true when the key was one of them.
    bool tile_key(int scancode);
    static bool is_tile_key(int scancode);
    // Draws the current frame and swaps (damage only when the view did not change).
    Status present();
    // The picture the window shows (nullptr before the first frame) and where it lands.
    const Layout* shown_layout() const;
    Rect shown_viewport(uint32_t w, uint32_t h) const;
    void update_title(bool force);
    // Ctrl+Alt+H: shows or hides the overlay (made on first use).
    void toggle_hud();
    // Re-rasterises the overlay when due; its rect becomes damage of its own.
    void refresh_hud();

    SdlOptions options_;
    std::unique_ptr<SdlVideo> video_;
    std::unique_ptr<SDL_Window, WindowDeleter> window_;
    std::unique_ptr<void, ContextDeleter> context_;
    std::unique_ptr<GlesRenderer> renderer_;
    std::unique_ptr<EglDamageSwap> damage_swap_;
    std::unique_ptr<SoftwareWindow> software_; // --sdl-path software: instead of the four above
    std::unique_ptr<HudLayer> hud_;
    std::unique_ptr<TileCompositor> tiles_; // several sources
    uint32_t tile_w_ = 0, tile_h_ = 0;      // several sources: the largest picture so far
    Region hud_damage_; // window pixels the overlay changed since the last present
    uint64_t last_presented_ns_ = 0;
    EGLSurface surface_ = EGL_NO_SURFACE;

    bool fullscreen_ = false;
    bool grabbed_ = false;
    bool user_sized_ = false; // the user resized the window: do not follow the frame size
    uint32_t frame_w_ = 0, frame_h_ = 0;        // picture size the window last followed
    int32_t requested_w_ = 0, requested_h_ = 0; // window size udmaview asked for last
    bool redraw_ = false;
    bool quit_ = false;
    std::set<int> swallowed_; // hotkey scancodes whose release is not forwarded
    // Several sources: keys the focused guest holds down, and keys released to the guest
    // that lost the focus whose real release is not forwarded to the new one.
    std::set<uint16_t> keys_down_, released_early_;
    uint32_t buttons_down_ = 0;

    std::string source_name_; // "demo 640x480 XRGB8888"
    uint64_t fps_window_start_ns_ = 0, title_ns_ = 0;
    uint64_t fps_frames_ = 0;
    double fps_ = 0;
    std::string last_title_;
    // Frames updated but not presented yet (several sources wait for flush()).
    struct Unshown {
        uint64_t seq = 0, produced_ns = 0, bytes_copied = 0;
        uint32_t imports = 0;
        std::string path;
    };
    std::vector<Unshown> unshown_;
    uint64_t swaps_with_damage_ = 0, swaps_full_ = 0, swap_damage_pixels_ = 0;
};

} // namespace udmaview
