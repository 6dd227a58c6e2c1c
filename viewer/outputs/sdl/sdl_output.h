// SPDX-License-Identifier: MIT
#pragma once

#include <SDL.h>
#include <memory>
#include <set>
#include <string>

#include "outputs/sdl/sdl_path.h"
#include "outputs/sdl/view.h"
#include "render/scene.h"
#include "render/scene_hud.h"
#include "udmaview/output.h"

namespace udmaview {

struct SdlOptions {
    uint32_t width = 1024, height = 768; // first window size (until a frame says otherwise)
    ScaleMode scale = ScaleMode::Fit;
    bool linear = true;
    bool vsync = true; // gl view only: SDL's window surface has no vertical blank to wait for
    bool fullscreen = false;
    bool allow_import = true; // false: always upload damaged rects (the fallback path)
    bool verbose = false;
    std::string dump_png; // when the run ends, write what the window shows
    uint64_t hold_ms = 0; // keep the last frame up this long after the run ends
    bool hud = false;     // start with the --hud overlay shown (Ctrl+Alt+H toggles it)
    uint32_t sources = 1; // more than one: tiles (Frame::source), focus, layout keys
    SdlPath path = SdlPath::Auto;
};

// The preview window: SDL2 window, its events (keyboard and mouse for the focused source,
// grab, full screen, tile keys, quit) and title, and the scene it shows (pictures or tiles,
// --hud, the guest pointer), drawn by one of two views (view.h): GlView (GLES on EGL) or
// SoftwareView (pixman into the window surface); --sdl-path auto picks one at start. SDL has
// no fd to poll, so the presenter dispatches it every few milliseconds.
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
    void set_cursor(const CursorState& cursor) override { scene_.set_pointer(cursor); }
    uint32_t input_source() const override { return scene_.focus(); }
    void source_ended(uint32_t source) override;
    // sdl_path_auto (1: auto chose the view), then the view's counters (GlView::counters,
    // SoftwareView::counters), then the hud's once it exists.
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

    // The window and its view as --sdl-path says (auto: a hidden GL window first, to ask
    // which renderer GL has).
    Status open();
    Status open_window(bool gl, bool hidden);
    Status open_gl_view();
    void handle_event(const SDL_Event& event, OutputSink* sink);
    void handle_key(const SDL_KeyboardEvent& key, OutputSink* sink);
    void pointer_to_source(int32_t wx, int32_t wy, OutputSink* sink, bool force);
    void set_grab(bool grab);
    void toggle_fullscreen();
    // The window size for a picture: the picture's, fitted to the screen when larger.
    void window_size_for(uint32_t& w, uint32_t& h) const;
    void follow_frame_size(const Layout& layout);
    // Tells the presenter the size each tile shows its source at 1:1 (window pixels).
    void send_wanted_sizes(OutputSink& sink);
    // Ctrl+Alt+Left/Right, Ctrl+Alt+L with several sources; true when the key was one of them.
    bool tile_key(int scancode);
    static bool is_tile_key(int scancode);
    // Draws the scene's damage (everything after redraw_) and puts it on screen.
    Status present();
    void update_title(bool force);
    // Ctrl+Alt+H: shows or hides the overlay (made on first use).
    void toggle_hud();

    SdlOptions options_;
    Scene scene_;
    std::unique_ptr<SdlVideo> video_;
    std::unique_ptr<SDL_Window, WindowDeleter> window_;
    std::unique_ptr<SdlView> view_;
    std::unique_ptr<SceneHud> hud_;
    bool auto_chosen_ = false;
    uint32_t tile_w_ = 0, tile_h_ = 0; // several sources: the largest picture so far
    uint64_t last_presented_ns_ = 0;

    bool fullscreen_ = false;
    bool grabbed_ = false;
    bool user_sized_ = false; // the user resized the window: do not follow the frame size
    // The user changed the space the sources have (resize, full screen, tile layout): the
    // next dispatch passes the new sizes on; leaving full screen passes the window's size on
    // once it has it back.
    bool size_wanted_ = false, leaving_fullscreen_ = false;
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
    std::vector<PendingFrame> unshown_;
};

} // namespace udmaview
