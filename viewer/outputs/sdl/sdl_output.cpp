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

#include "outputs/sdl/gl_view.h"
#include "outputs/sdl/sdl_error.h"
#include "outputs/sdl/software_view.h"
#include "udmaview/clock.h"
#include "udmaview/png.h"
#include "udmaview/stop_signal.h"

namespace udmaview {

namespace {

bool env_set(const char* name) {
    const char* v = std::getenv(name);
    return v && *v;
}

} // namespace

SdlOutput::SdlOutput(SdlOptions options)
    : options_(std::move(options))
    , scene_(options_.sources, options_.scale, options_.linear) {}

SdlOutput::~SdlOutput() {
    stop();
}

Status SdlOutput::start() {
    if (window_)
        return {};
    // SDL would fall back to its offscreen/dummy drivers or fail with a vague message; say
    // what is missing instead.
    if (!env_set("SDL_VIDEODRIVER") && !env_set("DISPLAY") && !env_set("WAYLAND_DISPLAY"))
        return Error{"sdl: no display: neither DISPLAY nor WAYLAND_DISPLAY is set (run inside an "
                     "X11 or Wayland session, e.g. under Xvfb, or use --output headless)",
                     ENXIO};
    // EGL under X11 too (GLX gives no EGLDisplay for dma-buf import, and its swap interval
    // does not work on Mesa's software drivers); the presenter owns the signals.
    // The software view wants the window surface in plain memory put by the display server
    // (XShmPutImage); SDL would otherwise back it with a GL texture, i.e. llvmpipe again.
    SDL_SetHint(SDL_HINT_VIDEO_X11_FORCE_EGL, "1");
    SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
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
    if (Status s = open(); !s) {
        stop();
        return s;
    }
    return {};
}

Status SdlOutput::open_window(bool gl, bool hidden) {
    if (gl) {
        SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_ES);
        SDL_GL_SetAttribute(SDL_GL_RED_SIZE, 8);
        SDL_GL_SetAttribute(SDL_GL_GREEN_SIZE, 8);
        SDL_GL_SetAttribute(SDL_GL_BLUE_SIZE, 8);
        SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
        SDL_GL_SetAttribute(SDL_GL_DEPTH_SIZE, 0);
        SDL_GL_SetAttribute(SDL_GL_STENCIL_SIZE, 0);
    }
    uint32_t w = options_.width, h = options_.height;
    if (options_.sources > 1)
        grid_window_size(options_.sources, options_.width, options_.height, w, h);
    window_size_for(w, h);
    requested_w_ = int32_t(w);
    requested_h_ = int32_t(h);
    Uint32 flags = SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI;
    if (gl)
        flags |= SDL_WINDOW_OPENGL;
    if (hidden)
        flags |= SDL_WINDOW_HIDDEN;
    if (options_.fullscreen)
        flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
    fullscreen_ = options_.fullscreen;
    // Full screen from the start is the user's choice of size; a window is made at the
    // picture's size and so asks for nothing until the user resizes it.
    size_wanted_ = options_.fullscreen;
    window_.reset(SDL_CreateWindow("udmaview", SDL_WINDOWPOS_UNDEFINED, SDL_WINDOWPOS_UNDEFINED,
                                   int(w), int(h), flags));
    if (!window_ && !gl)
        return Error{"sdl: cannot create a window: " + sdl_error(), ENODEV};
    if (!window_)
        return Error{"sdl: cannot create an OpenGL ES window (is EGL/GLES installed? "
                     "libegl1, libgles2): " +
                         sdl_error(),
                     ENODEV};
    return {};
}

Status SdlOutput::open_gl_view() {
    RendererOptions ro;
    ro.scale = options_.scale;
    ro.linear = options_.linear;
    ro.allow_import = options_.allow_import;
    ro.verbose = options_.verbose;
    Result<std::unique_ptr<GlView>> gl = GlView::create(window_.get(), ro, options_.vsync);
    if (!gl)
        return gl.error();
    view_ = std::move(*gl);
    return {};
}

Status SdlOutput::open() {
    const bool probe = options_.path == SdlPath::Auto;
    bool software = options_.path == SdlPath::Software;
    if (!software) {
        Status s = open_window(true, probe);
        if (s)
            s = open_gl_view();
        if (!s && !probe)
            return s;
        if (probe) {
            const GlView* gl = static_cast<const GlView*>(view_.get());
            const std::string renderer = s ? gl->gl_renderer() : std::string();
            software = !s || is_software_rasterizer(renderer);
            std::cerr << sdl_auto_line(software, renderer, s ? "" : s.error().message) << "\n";
            auto_chosen_ = true;
        }
        if (software) {
            view_.reset();
            window_.reset();
        } else if (probe) {
            SDL_ShowWindow(window_.get());
        }
    }
    if (software) {
        if (Status s = open_window(false, false); !s)
            return s;
        Result<std::unique_ptr<SoftwareView>> sw = SoftwareView::create(window_.get());
        if (!sw)
            return sw.error();
        view_ = std::move(*sw);
        if (options_.verbose)
            std::cerr << "sdl: software view: pixman into the window surface, no GL\n";
    }
    if (options_.hud)
        hud_ = std::make_unique<SceneHud>(scene_, true);
    redraw_ = true;
    if (Status s = present(); !s)
        return s;
    update_title(true);
    return {};
}

void SdlOutput::stop() {
    view_.reset(); // GL objects go while their window (and context) lives
    window_.reset();
    video_.reset();
}

Status SdlOutput::present() {
    if (redraw_)
        scene_.invalidate();
    redraw_ = false;
    if (Status s = view_->present(scene_); !s)
        return s;
    if (hud_)
        hud_->presented();
    return {};
}

void SdlOutput::toggle_hud() {
    if (!hud_) {
        hud_ = std::make_unique<SceneHud>(scene_, true);
        return;
    }
    hud_->toggle();
}

std::vector<std::pair<std::string, uint64_t>> SdlOutput::counters() const {
    std::vector<std::pair<std::string, uint64_t>> out{{"sdl_path_auto", auto_chosen_ ? 1 : 0}};
    if (view_)
        for (const auto& c : view_->counters())
            out.push_back(c);
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
        title += " | " + std::string(fps) + " | " + view_->frame_path();
    if (grabbed_)
        title += " | input grabbed, Ctrl+Alt+G releases";
    if (title != last_title_) {
        SDL_SetWindowTitle(window_.get(), title.c_str());
        last_title_ = title;
    }
}

Status SdlOutput::submit(const Frame& frame, SubmitStats& stats, OutputSink& sink) {
    if (!view_)
        return Error{"sdl: submit before start", EINVAL};
    if (!frame.buffer)
        return Error{"sdl: frame " + std::to_string(frame.seq) + " has no buffer", EINVAL};
    const Layout& l = frame.buffer->layout();
    if (Status s = view_->update(frame, stats); !s)
        return s;
    scene_.frame_shown(frame);
    std::string name = frame.buffer->origin() + " " + std::to_string(l.width) + "x" +
                       std::to_string(l.height) + " " + std::string(l.format->name);
    if (scene_.tiles() > 1)
        name = std::to_string(scene_.tiles()) + " sources, #" + std::to_string(scene_.focus() + 1) +
               " focused";
    if (name != source_name_) {
        source_name_ = name;
        update_title(true);
    }
    follow_frame_size(l);
    stats.submitted_ns = now_ns();
    unshown_.push_back({frame.seq, frame.produced_ns, stats});
    if (scene_.tiles() == 1) // several sources: one present for the presenter's round, in flush()
        flush(sink);
    return {};
}

void SdlOutput::flush(OutputSink& sink) {
    if (unshown_.empty() || !view_)
        return;
    if (Status s = present(); !s) {
        unshown_.clear();
        sink.on_output_error(s.error());
        return;
    }
    const uint64_t presented = now_ns();
    for (const PendingFrame& u : unshown_)
        sink.on_presented(u.seq, presented);
    last_presented_ns_ = presented;
    if (hud_) { // after the presentation is reported: the overlay's cost stays out of it
        hud_->record(unshown_, presented);
        hud_->refresh(now_ns());
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
    if (view_)
        view_->retire(id);
}

Status SdlOutput::finish(const Frame* last) {
    if (!view_)
        return {};
    Status result;
    if (!options_.dump_png.empty()) {
        if (!last || !last->buffer) {
            result =
                Error{"sdl: no frame arrived, so there is nothing to write to " + options_.dump_png,
                      ENODATA};
        } else {
            if (redraw_)
                scene_.invalidate();
            redraw_ = false;
            Result<RgbaImage> image = view_->read_pixels(scene_);
            result = image ? write_png(options_.dump_png, *image) : Status(image.error());
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
            if (hud_)
                hud_->refresh(now_ns());
            if (redraw_ || !scene_.damage().empty())
                if (Status s = present(); !s)
                    return s;
        }
    }
    return result;
}

} // namespace udmaview
