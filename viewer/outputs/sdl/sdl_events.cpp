// SPDX-License-Identifier: MIT
// The SDL window's events: keyboard and mouse for the guest, grab, full screen, quit.
#include <iostream>
#include <linux/input-event-codes.h>

#include "outputs/sdl/keymap.h"
#include "outputs/sdl/sdl_output.h"
#include "udmaview/clock.h"

namespace udmaview {

namespace {

uint16_t linux_button(uint8_t sdl_button) {
    switch (sdl_button) {
    case SDL_BUTTON_LEFT:
        return BTN_LEFT;
    case SDL_BUTTON_RIGHT:
        return BTN_RIGHT;
    case SDL_BUTTON_MIDDLE:
        return BTN_MIDDLE;
    case SDL_BUTTON_X1:
        return BTN_SIDE;
    case SDL_BUTTON_X2:
        return BTN_EXTRA;
    default:
        return 0;
    }
}

} // namespace

void SdlOutput::set_grab(bool grab) {
    if (grab == grabbed_)
        return;
    grabbed_ = grab;
    SDL_SetWindowGrab(window_.get(), grab ? SDL_TRUE : SDL_FALSE);
    SDL_SetWindowKeyboardGrab(window_.get(), grab ? SDL_TRUE : SDL_FALSE);
    if (options_.verbose)
        std::cerr << "sdl: input " << (grab ? "grabbed (Ctrl+Alt+G releases)" : "released") << "\n";
    update_title(true);
}

void SdlOutput::toggle_fullscreen() {
    fullscreen_ = !fullscreen_;
    SDL_SetWindowFullscreen(window_.get(), fullscreen_ ? SDL_WINDOW_FULLSCREEN_DESKTOP : 0);
    redraw_ = true;
    size_wanted_ = true;
    leaving_fullscreen_ = !fullscreen_;
    if (options_.verbose)
        std::cerr << "sdl: fullscreen " << (fullscreen_ ? "on" : "off") << "\n";
}

bool SdlOutput::is_tile_key(int sc) {
    return sc == SDL_SCANCODE_LEFT || sc == SDL_SCANCODE_RIGHT || sc == SDL_SCANCODE_L;
}

bool SdlOutput::tile_key(int sc) {
    if (scene_.tiles() == 1)
        return false;
    if (sc == SDL_SCANCODE_LEFT || sc == SDL_SCANCODE_RIGHT)
        scene_.move_focus(sc == SDL_SCANCODE_LEFT ? -1 : 1);
    else if (sc == SDL_SCANCODE_L)
        scene_.toggle_mode();
    else
        return false;
    if (options_.verbose)
        std::cerr << "sdl: source " << scene_.focus() + 1 << " focused, "
                  << (scene_.mode() == TileMode::Grid ? "grid" : "alone") << "\n";
    source_name_ = std::to_string(scene_.tiles()) + " sources, #" +
                   std::to_string(scene_.focus() + 1) + " focused";
    update_title(true);
    redraw_ = true;
    // Alone, the focused source has the whole window. A window udmaview sizes itself follows
    // the largest picture: asking the guests then would feed back into the window's size.
    size_wanted_ = user_sized_ || fullscreen_;
    return true;
}

void SdlOutput::pointer_to_source(int32_t wx, int32_t wy, OutputSink* sink, bool force) {
    if (!sink || !scene_.picture(scene_.focus()))
        return;
    // Mouse positions are in window coordinates; the viewport is in drawable pixels.
    int ww = 0, wh = 0;
    SDL_GetWindowSize(window_.get(), &ww, &wh);
    uint32_t dw = 0, dh = 0;
    view_->drawable_size(dw, dh);
    const double sx = ww > 0 ? double(dw) / ww : 1.0, sy = wh > 0 ? double(dh) / wh : 1.0;
    // The scene has the drawable's size once presented; + 0.5: the centre of the window pixel
    // the pointer is on.
    scene_.resize(dw, dh);
    const SourcePoint p = scene_.to_source((wx + 0.5) * sx, (wy + 0.5) * sy);
    if (p.inside || force || grabbed_)
        sink->on_input(PointerMove{p.x, p.y});
}

void SdlOutput::handle_key(const SDL_KeyboardEvent& key, OutputSink* sink) {
    const int sc = key.keysym.scancode;
    const bool down = key.type == SDL_KEYDOWN;
    // The modifiers as they were at this event: SDL_GetModState() is the state after every
    // queued event, which is wrong when several keys wait in the queue.
    const Uint16 mod = key.keysym.mod;
    const bool ctrl_alt = (mod & KMOD_CTRL) && (mod & KMOD_ALT);
    if (down && !key.repeat) {
        if (sc == SDL_SCANCODE_F11 || (ctrl_alt && sc == SDL_SCANCODE_F)) {
            swallowed_.insert(sc);
            toggle_fullscreen();
            return;
        }
        if (ctrl_alt && sc == SDL_SCANCODE_G) {
            swallowed_.insert(sc);
            set_grab(false);
            return;
        }
        if (ctrl_alt && sc == SDL_SCANCODE_H) {
            swallowed_.insert(sc);
            toggle_hud();
            return;
        }
        if (ctrl_alt && scene_.tiles() > 1 && is_tile_key(sc)) {
            swallowed_.insert(sc);
            // The guest losing the focus must not keep Ctrl and Alt (or more) held down; the
            // new one never saw them pressed, so it gets no releases either.
            for (uint16_t held : keys_down_)
                if (sink)
                    sink->on_input(KeyEvent{held, false});
            released_early_.insert(keys_down_.begin(), keys_down_.end());
            keys_down_.clear();
            tile_key(sc);
            return;
        }
    }
    if (!down && swallowed_.erase(sc))
        return;
    if (key.repeat) // the guest runs its own key repeat
        return;
    const uint16_t code = sdl_scancode_to_linux_key(sc);
    if (!code || !sink)
        return;
    if (scene_.tiles() > 1) {
        if (!down && released_early_.erase(code))
            return;
        down ? void(keys_down_.insert(code)) : void(keys_down_.erase(code));
    }
    sink->on_input(KeyEvent{code, down});
}

void SdlOutput::handle_event(const SDL_Event& e, OutputSink* sink) {
    switch (e.type) {
    case SDL_QUIT:
        quit_ = true;
        break;
    case SDL_WINDOWEVENT:
        switch (e.window.event) {
        case SDL_WINDOWEVENT_CLOSE:
            quit_ = true;
            break;
        case SDL_WINDOWEVENT_RESIZED:
            // Our own SDL_SetWindowSize comes back as RESIZED too; only another size is the
            // user's (or the window manager's) choice. Once the user sized the window udmaview
            // sizes it no more: every later size is theirs, the first one's included.
            if (!fullscreen_ &&
                (user_sized_ || e.window.data1 != requested_w_ || e.window.data2 != requested_h_))
                user_sized_ = size_wanted_ = true;
            redraw_ = true;
            break;
        case SDL_WINDOWEVENT_SIZE_CHANGED:
            // Full screen's size (or the window's again after it) may come after the toggle.
            if (fullscreen_ || leaving_fullscreen_)
                size_wanted_ = true;
            leaving_fullscreen_ = leaving_fullscreen_ && fullscreen_;
            redraw_ = true;
            break;
        case SDL_WINDOWEVENT_EXPOSED:
        case SDL_WINDOWEVENT_SHOWN:
        case SDL_WINDOWEVENT_RESTORED:
            redraw_ = true;
            break;
        case SDL_WINDOWEVENT_FOCUS_LOST:
            set_grab(false);
            break;
        default:
            break;
        }
        break;
    case SDL_KEYDOWN:
    case SDL_KEYUP:
        handle_key(e.key, sink);
        break;
    case SDL_MOUSEMOTION:
        pointer_to_source(e.motion.x, e.motion.y, sink, buttons_down_ != 0);
        break;
    case SDL_MOUSEBUTTONDOWN:
    case SDL_MOUSEBUTTONUP: {
        const bool down = e.type == SDL_MOUSEBUTTONDOWN;
        if (down && !grabbed_)
            set_grab(true);
        const uint16_t code = linux_button(e.button.button);
        if (!code)
            break;
        const uint32_t bit = 1u << (code - BTN_LEFT);
        buttons_down_ = down ? buttons_down_ | bit : buttons_down_ & ~bit;
        pointer_to_source(e.button.x, e.button.y, sink, true);
        if (sink)
            sink->on_input(PointerButton{code, down});
        break;
    }
    case SDL_MOUSEWHEEL: {
        int32_t dx = e.wheel.x, dy = e.wheel.y;
        if (e.wheel.direction == SDL_MOUSEWHEEL_FLIPPED) {
            dx = -dx;
            dy = -dy;
        }
        if (sink && (dx || dy))
            sink->on_input(PointerWheel{dx, dy});
        break;
    }
    default:
        break;
    }
}

void SdlOutput::dispatch(OutputSink& sink) {
    if (!window_)
        return;
    SDL_Event e;
    while (SDL_PollEvent(&e))
        handle_event(e, &sink);
    if (quit_) {
        sink.on_quit();
        return;
    }
    if (size_wanted_)
        send_wanted_sizes(sink);
    // While frames arrive the overlay's new image goes out with the next one (submit());
    // an extra swap here could wait for vblank and delay that frame.
    if (hud_ && now_ns() - last_presented_ns_ > Hud::refresh_ns)
        hud_->refresh(now_ns());
    if (redraw_ || !scene_.damage().empty())
        if (Status s = present(); !s) {
            sink.on_output_error(s.error());
            return;
        }
    update_title(false);
}
} // namespace udmaview
