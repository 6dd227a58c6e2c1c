// SPDX-License-Identifier: MIT
#include "outputs/sdl/sdl_output.h"

#include <EGL/egl.h>
#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>

#include "outputs/sdl/sdl_error.h"
#include "udmaview/clock.h"
#include "udmaview/png.h"

namespace udmaview {

namespace {

// The presenter blocks SIGINT/SIGTERM/SIGHUP and reads them from a signalfd, which nobody
// reads while finish() holds the last frame: look at the pending set instead.
bool stop_signal_pending() {
    sigset_t pending;
    if (sigpending(&pending) != 0)
        return false;
    return sigismember(&pending, SIGINT) == 1 || sigismember(&pending, SIGTERM) == 1 ||
           sigismember(&pending, SIGHUP) == 1;
}

bool env_set(const char* name) {
    const char* v = std::getenv(name);
    return v && *v;
}

} // namespace

SdlOutput::SdlOutput(SdlOptions options)
    : options_(std::move(options)) {}

SdlOutput::~SdlOutput() {
    stop();
}

Status SdlOutput::start() {
    if (window_)
        return {};
    if (options_.software && options_.sources > 1)
        return Error{"sdl: the software path shows one source (" +
                         std::to_string(options_.sources) + " given; tiles need --sdl-path gl)",
                     EINVAL};
    // SDL would fall back to its offscreen/dummy drivers or fail with a vague message; say
    // what is missing instead.
    if (!env_set("SDL_VIDEODRIVER") && !env_set("DISPLAY") && !env_set("WAYLAND_DISPLAY"))
        return Error{"sdl: no display: neither DISPLAY nor WAYLAND_DISPLAY is set (run inside an "
                     "X11 or Wayland session, e.g. under Xvfb, or use --output headless)",
                     ENXIO};
    // EGL under X11 too (GLX gives no EGLDisplay for dma-buf import, and its swap interval
    // does not work on Mesa's software drivers); the presenter owns the signals.
    // The software path wants the window surface in plain memory put by the display server
    // (XShmPutImage); SDL would otherwise back it with a GL texture, i.e. llvmpipe again.
    SDL_SetHint(options_.software ? SDL_HINT_FRAMEBUFFER_ACCELERATION
                                  : SDL_HINT_VIDEO_X11_FORCE_EGL,
                options_.software ? "0" : "1");
    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
    SDL_SetHint(SDL_HINT_MOUSE_FOCUS_CLICKTHROUGH, "1");
    SDL_SetHint(SDL_HINT_VIDEO_MINIMIZE_ON_FOCUS_LOSS, "0");
    const bool driver_chosen = env_set("SDL_VIDEODRIVER");
    // Only X11 is there: do not let SDL probe Wayland first (libwayland prints to stderr).
    if (!driver_chosen && env_set("DISPLAY") && !env_set("WAYLAND_DISPLAY"))
        SDL_SetHint(SDL_HINT_VIDEODRIVER, "x11");
    const std::string where =
        env_set("DISPLAY") ? std::string("DISPLAY=") + std::getenv("DISPLAY")
                           : std::string("WAYLAND_DISPLAY=") + std::getenv("WAYLAND_DISPLAY");
    if (SDL_InitSubSystem(SDL_INIT_VIDEO) != 0) {
        const std::string why = sdl_error();
        SDL_QuitSubSystem(SDL_INIT_VIDEO);
        return Error{"sdl: cannot open the display " + (driver_chosen ? std::string() : where) +
                         ": " + why,
                     ENXIO};
    }
    video_ = std::make_unique<SdlVideo>();
    // SDL falls back to windows nobody can see when no server answers; refuse that unless
    // SDL_VIDEODRIVER asked for it.
    const char* driver = SDL_GetCurrentVideoDriver();
    if (!driver_chosen && driver &&
        (std::strcmp(driver, "offscreen") == 0 || std::strcmp(driver, "dummy") == 0)) {
        stop();
        return Error{"sdl: cannot open the display " + where +
                         ": no X11 server or Wayland compositor answers there",
                     ENXIO};
    }
    if (options_.verbose)
        std::cerr << "sdl: video driver " << (driver ? driver : "?") << "\n";
    if (Status s = open_window(); !s) {
        stop();
        return s;
    }
    return {};
}

Status SdlOutput::open_window() {
    if (!options_.software) {
        SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_ES);
        SDL_GL_SetAttribute(SDL_GL_RED_SIZE, 8);
        SDL_GL_SetAttribute(SDL_GL_GREEN_SIZE, 8);
        SDL_GL_SetAttribute(SDL_GL_BLUE_SIZE, 8);
        SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
        SDL_GL_SetAttribute(SDL_GL_DEPTH_SIZE, 0);
        SDL_GL_SetAttribute(SDL_GL_STENCIL_SIZE, 0);
    }
    uint32_t w = options_.width, h = options_.height;
    if (options_.sources > 1) {
        tiles_ = std::make_unique<TileCompositor>(options_.sources, options_.scale);
        grid_window_size(options_.sources, options_.width, options_.height, w, h);
    }
    window_size_for(w, h);
    requested_w_ = int32_t(w);
    requested_h_ = int32_t(h);
    Uint32 flags = SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI;
    if (!options_.software)
        flags |= SDL_WINDOW_OPENGL;
    if (options_.fullscreen)
        flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
    fullscreen_ = options_.fullscreen;
    window_.reset(SDL_CreateWindow("udmaview", SDL_WINDOWPOS_UNDEFINED, SDL_WINDOWPOS_UNDEFINED,
                                   int(w), int(h), flags));
    if (!window_ && options_.software)
        return Error{"sdl: cannot create a window: " + sdl_error(), ENODEV};
    if (!window_)
        return Error{"sdl: cannot create an OpenGL ES window (is EGL/GLES installed? "
                     "libegl1, libgles2): " +
                         sdl_error(),
                     ENODEV};
    if (options_.software) {
        software_ = std::make_unique<SoftwareWindow>(window_.get(), options_.scale);
        if (options_.verbose)
            std::cerr << "sdl: software path: window surface, no GL\n";
    } else if (Status s = init_gl(); !s) {
        return s;
    }
    redraw_ = true;
    if (Status s = present(); !s)
        return s;
    update_title(true);
    return {};
}

void SdlOutput::stop() {
    if (context_ && window_)
        SDL_GL_MakeCurrent(window_.get(), context_.get());
    damage_swap_.reset();
    software_.reset();
    tiles_.reset();
    renderer_.reset(); // GL objects go while their context is current
    context_.reset();
    window_.reset();
    video_.reset();
    surface_ = EGL_NO_SURFACE;
}

Status SdlOutput::present() {
    if (software_) {
        const bool full = redraw_;
        redraw_ = false;
        return software_->present(full);
    }
    uint32_t w = 0, h = 0;
    drawable_size(w, h);
    if (redraw_) {
        renderer_->invalidate_view();
        if (tiles_)
            tiles_->invalidate();
    }
    Region damage = draw_view(w, h);
    if (hud_) {
        hud_->draw(h);
        for (const Rect& r : hud_damage_.rects())
            damage.add(r);
    }
    bool swapped = false;
    if (damage_swap_->available()) {
        swapped = damage_swap_->swap(surface_, damage, int32_t(h));
        if (swapped) {
            ++swaps_with_damage_;
            swap_damage_pixels_ += uint64_t(damage.area());
        }
    }
    if (!swapped) {
        SDL_GL_SwapWindow(window_.get());
        ++swaps_full_;
    }
    renderer_->clear_damage();
    hud_damage_ = Region();
    redraw_ = false;
    return {};
}

void SdlOutput::toggle_hud() {
    if (software_) {
        std::cerr << "sdl: Ctrl+Alt+H: the software path (--sdl-path software) draws no hud; "
                     "run with --sdl-path gl for it\n";
        return;
    }
    if (!hud_) {
        Result<std::unique_ptr<HudLayer>> hud = HudLayer::create(false);
        if (!hud) {
            std::cerr << "sdl: Ctrl+Alt+H: cannot show the hud: " << hud.error().message << "\n";
            return;
        }
        hud_ = std::move(*hud);
    }
    uint32_t w = 0, h = 0;
    drawable_size(w, h);
    hud_damage_.add(hud_->rect(w, h)); // the area it covered, when hiding
    hud_->toggle();
    hud_damage_.add(hud_->rect(w, h));
}

void SdlOutput::refresh_hud() {
    if (!hud_ || !hud_->update(now_ns()))
        return;
    uint32_t w = 0, h = 0;
    drawable_size(w, h);
    hud_damage_.add(hud_->rect(w, h));
}

std::vector<std::pair<std::string, uint64_t>> SdlOutput::counters() const {
    if (software_)
        return software_->counters();
    const bool swap_damage = damage_swap_ && damage_swap_->available();
    const bool import = renderer_ && renderer_->can_import();
    std::vector<std::pair<std::string, uint64_t>> out{{"egl_swap_with_damage", swap_damage ? 1 : 0},
                                                      {"egl_dma_buf_import", import ? 1 : 0},
                                                      {"swaps_with_damage", swaps_with_damage_},
                                                      {"swaps_full", swaps_full_},
                                                      {"swap_damage_pixels", swap_damage_pixels_}};
    if (hud_)
        for (const auto& c : hud_->counters())
            out.push_back(c);
    return out;
}

void SdlOutput::update_title(bool force) {
    const uint64_t now = now_ns();
    if (!force && now - title_ns_ < 1'000'000'000)
        return;
    title_ns_ = now;
    char fps[32];
    std::snprintf(fps, sizeof fps, "%.1f fps", fps_);
    std::string title = "udmaview: " + (source_name_.empty() ? "waiting for frames" : source_name_);
    if (!source_name_.empty())
        title += " | " + std::string(fps) + " | " +
                 (software_ ? std::string("software") : renderer_->current_path());
    if (grabbed_)
        title += " | input grabbed, Ctrl+Alt+G releases";
    if (title != last_title_) {
        SDL_SetWindowTitle(window_.get(), title.c_str());
        last_title_ = title;
    }
}

Status SdlOutput::submit(const Frame& frame, SubmitStats& stats, OutputSink& sink) {
    if (!renderer_ && !software_)
        return Error{"sdl: submit before start", EINVAL};
    if (!frame.buffer)
        return Error{"sdl: frame " + std::to_string(frame.seq) + " has no buffer", EINVAL};
    const Layout& l = frame.buffer->layout();
    if (Status s =
            software_ ? software_->view().update(frame, stats) : renderer_->update(frame, stats);
        !s)
        return s;
    if (tiles_)
        tiles_->frame_shown(frame);
    std::string name = frame.buffer->origin() + " " + std::to_string(l.width) + "x" +
                       std::to_string(l.height) + " " + std::string(l.format->name);
    if (tiles_)
        name = std::to_string(tiles_->tiles()) + " sources, #" +
               std::to_string(tiles_->focus() + 1) + " focused";
    if (name != source_name_) {
        source_name_ = name;
        update_title(true);
    }
    follow_frame_size(l);
    stats.submitted_ns = now_ns();
    unshown_.push_back(
        {frame.seq, frame.produced_ns, stats.bytes_copied, stats.imports, stats.path});
    if (!tiles_) // several sources: one present for the presenter's round, in flush()
        flush(sink);
    return {};
}

void SdlOutput::flush(OutputSink& sink) {
    if (unshown_.empty() || (!renderer_ && !software_))
        return;
    if (Status s = present(); !s) {
        unshown_.clear();
        sink.on_output_error(s.error());
        return;
    }
    const uint64_t presented = now_ns();
    for (const Unshown& u : unshown_)
        sink.on_presented(u.seq, presented);
    last_presented_ns_ = presented;
    if (hud_) { // after the presentation is reported: the overlay's cost stays out of it
        for (const Unshown& u : unshown_)
            hud_->hud().record(u.produced_ns, presented, u.bytes_copied, u.imports, u.path);
        refresh_hud();
    }

    fps_frames_ += unshown_.size();
    unshown_.clear();
    if (!fps_window_start_ns_)
        fps_window_start_ns_ = presented;
    if (presented - fps_window_start_ns_ >= 1'000'000'000) {
        fps_ = double(fps_frames_) * 1e9 / double(presented - fps_window_start_ns_);
        fps_frames_ = 0;
        fps_window_start_ns_ = presented;
    }
    update_title(false);
}

void SdlOutput::retire(BufferId id) {
    if (renderer_)
        renderer_->retire(id);
    if (software_)
        software_->view().retire(id);
}

Status SdlOutput::finish(const Frame* last) {
    if (!renderer_ && !software_)
        return {};
    Status result;
    if (!options_.dump_png.empty()) {
        if (!last || !last->buffer) {
            result =
                Error{"sdl: no frame arrived, so there is nothing to write to " + options_.dump_png,
                      ENODATA};
        } else if (software_) { // the surface holds what is on screen once pending pixels are out
            result = present();
            Result<RgbaImage> image = software_->read_pixels();
            if (result)
                result = image ? write_png(options_.dump_png, *image) : Status(image.error());
        } else {
            uint32_t w = 0, h = 0;
            drawable_size(w, h);
            renderer_->invalidate_view();
            if (tiles_)
                tiles_->invalidate();
            draw_view(w, h);
            if (hud_)
                hud_->draw(h);
            result = write_png(options_.dump_png, renderer_->read_pixels(w, h));
            SDL_GL_SwapWindow(window_.get());
            renderer_->clear_damage();
        }
    }
    if (options_.hold_ms && !quit_) {
        std::cerr << "sdl: holding the last frame for " << options_.hold_ms << " ms\n";
        const uint64_t until = now_ns() + options_.hold_ms * 1'000'000;
        while (!quit_ && now_ns() < until && !stop_signal_pending()) {
            SDL_Event e;
            if (SDL_WaitEventTimeout(&e, 20)) {
                handle_event(e, nullptr);
                while (SDL_PollEvent(&e))
                    handle_event(e, nullptr);
            }
            refresh_hud();
            if (redraw_ || !hud_damage_.empty())
                if (Status s = present(); !s)
                    return s;
        }
    }
    return result;
}

} // namespace udmaview
