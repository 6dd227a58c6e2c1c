// SPDX-License-Identifier: MIT
#include "outputs/wayland/wayland_input.h"

#include <algorithm>

#include <linux/input-event-codes.h>
#include <unistd.h>

namespace udmaview::wl {

WaylandInput::WaylandInput(WaylandConnection& conn, WaylandWindow& window)
    : conn_(conn)
    , window_(window) {
    if (!conn_.seat())
        return; // a compositor without a seat: the picture shows, no input reaches the guest
    conn_.on_seat_capabilities([this](uint32_t caps) { capabilities(caps); });
    capabilities(conn_.seat_capabilities());
}

WaylandInput::~WaylandInput() {
    conn_.on_seat_capabilities(nullptr);
    if (keyboard_)
        conn_.seat_version() >= 3 ? wl_keyboard_release(keyboard_) : wl_keyboard_destroy(keyboard_);
    if (pointer_)
        conn_.seat_version() >= 3 ? wl_pointer_release(pointer_) : wl_pointer_destroy(pointer_);
}

void WaylandInput::capabilities(uint32_t caps) {
    WaylandInput* self = this;
    wl_seat* seat = conn_.seat();
    if ((caps & WL_SEAT_CAPABILITY_KEYBOARD) && !self->keyboard_) {
        static const wl_keyboard_listener listener = {
            .keymap = &WaylandInput::on_keymap,
            .enter = &WaylandInput::on_key_enter,
            .leave = &WaylandInput::on_key_leave,
            .key = &WaylandInput::on_key,
            .modifiers = &WaylandInput::on_modifiers,
            .repeat_info = &WaylandInput::on_repeat_info,
        };
        self->keyboard_ = wl_seat_get_keyboard(seat);
        wl_keyboard_add_listener(self->keyboard_, &listener, self);
    }
    if ((caps & WL_SEAT_CAPABILITY_POINTER) && !self->pointer_) {
        // Members a newer libwayland adds stay null: the seat is bound at version 5, which
        // never sends them.
        static const wl_pointer_listener listener = [] {
            wl_pointer_listener l{};
            l.enter = &WaylandInput::on_pointer_enter;
            l.leave = &WaylandInput::on_pointer_leave;
            l.motion = &WaylandInput::on_motion;
            l.button = &WaylandInput::on_button;
            l.axis = &WaylandInput::on_axis;
            l.frame = &WaylandInput::on_frame;
            l.axis_source = &WaylandInput::on_axis_source;
            l.axis_stop = &WaylandInput::on_axis_stop;
            l.axis_discrete = &WaylandInput::on_axis_discrete;
            return l;
        }();
        self->pointer_ = wl_seat_get_pointer(seat);
        wl_pointer_add_listener(self->pointer_, &listener, self);
    }
}

void WaylandInput::on_keymap(void*, wl_keyboard*, uint32_t, int32_t fd, uint32_t) {
    // The guest applies its own keymap to the raw codes: the compositor's is not needed.
    ::close(fd);
}

void WaylandInput::on_key_leave(void* data, wl_keyboard*, uint32_t, wl_surface*) {
    // Keys held when the focus goes must not stay held in the guest.
    static_cast<WaylandInput*>(data)->release_all();
}

void WaylandInput::on_key(void* data, wl_keyboard*, uint32_t, uint32_t, uint32_t key,
                          uint32_t state) {
    static_cast<WaylandInput*>(data)->key(uint16_t(key), state == WL_KEYBOARD_KEY_STATE_PRESSED);
}

void WaylandInput::key(uint16_t code, bool pressed) {
    const bool ctrl = keys_down_.count(KEY_LEFTCTRL) || keys_down_.count(KEY_RIGHTCTRL);
    const bool alt = keys_down_.count(KEY_LEFTALT) || keys_down_.count(KEY_RIGHTALT);
    if (pressed && (code == KEY_F11 || (ctrl && alt && code == KEY_F))) {
        swallowed_.insert(code);
        fullscreen_toggle_ = true;
        return;
    }
    if (!pressed && swallowed_.erase(code))
        return;
    pressed ? void(keys_down_.insert(code)) : void(keys_down_.erase(code));
    events_.push_back(KeyEvent{code, pressed});
}

void WaylandInput::release_all() {
    for (uint16_t k : keys_down_)
        events_.push_back(KeyEvent{k, false});
    for (uint16_t b : buttons_down_)
        events_.push_back(PointerButton{b, false});
    keys_down_.clear();
    buttons_down_.clear();
    swallowed_.clear();
}

void WaylandInput::on_pointer_enter(void* data, wl_pointer* pointer, uint32_t serial,
                                    wl_surface* surface, wl_fixed_t x, wl_fixed_t y) {
    auto* self = static_cast<WaylandInput*>(data);
    self->pointer_surface_ = surface;
    self->focus_change_ = PointerFocus{pointer, serial};
    self->move(x, y);
}

void WaylandInput::on_pointer_leave(void* data, wl_pointer*, uint32_t, wl_surface*) {
    auto* self = static_cast<WaylandInput*>(data);
    self->pointer_surface_ = nullptr;
    self->focus_change_ = PointerFocus{};
    for (uint16_t b : self->buttons_down_)
        self->events_.push_back(PointerButton{b, false});
    self->buttons_down_.clear();
}

void WaylandInput::on_motion(void* data, wl_pointer*, uint32_t, wl_fixed_t x, wl_fixed_t y) {
    static_cast<WaylandInput*>(data)->move(x, y);
}

void WaylandInput::move(wl_fixed_t fx, wl_fixed_t fy) {
    // Only over the picture: the border around it has no guest pixels.
    if (pointer_surface_ != window_.picture())
        return;
    const Placement& p = window_.placement();
    if (p.dst.w <= 0 || p.dst.h <= 0)
        return;
    // Surface-local coordinates of the picture are destination pixels from its corner.
    const double x = wl_fixed_to_double(fx), y = wl_fixed_to_double(fy);
    const auto sx = int32_t(p.src.x + x * p.src.w / p.dst.w);
    const auto sy = int32_t(p.src.y + y * p.src.h / p.dst.h);
    events_.push_back(PointerMove{std::clamp(sx, p.src.x, p.src.x + p.src.w - 1),
                                  std::clamp(sy, p.src.y, p.src.y + p.src.h - 1)});
}

void WaylandInput::on_button(void* data, wl_pointer*, uint32_t, uint32_t, uint32_t button,
                             uint32_t state) {
    auto* self = static_cast<WaylandInput*>(data);
    const bool pressed = state == WL_POINTER_BUTTON_STATE_PRESSED;
    const auto code = uint16_t(button); // BTN_LEFT, … already
    pressed ? void(self->buttons_down_.insert(code)) : void(self->buttons_down_.erase(code));
    self->events_.push_back(PointerButton{code, pressed});
}

void WaylandInput::on_axis_discrete(void* data, wl_pointer*, uint32_t axis, int32_t discrete) {
    auto* self = static_cast<WaylandInput*>(data);
    self->discrete_seen_ = true;
    // Wayland's positive vertical is down; ours (and QEMU's wheel-up) is up.
    if (axis == WL_POINTER_AXIS_VERTICAL_SCROLL)
        self->events_.push_back(PointerWheel{0, -discrete});
    else
        self->events_.push_back(PointerWheel{discrete, 0});
}

void WaylandInput::on_axis(void* data, wl_pointer*, uint32_t, uint32_t axis, wl_fixed_t value) {
    auto* self = static_cast<WaylandInput*>(data);
    // axis_discrete comes before axis in the same frame where the seat has it.
    if (std::exchange(self->discrete_seen_, false))
        return;
    // Without notches: 10 units a notch, as libinput's wheel emulation gives.
    const int notches = int(wl_fixed_to_double(value) / 10.0);
    if (notches == 0)
        return;
    if (axis == WL_POINTER_AXIS_VERTICAL_SCROLL)
        self->events_.push_back(PointerWheel{0, -notches});
    else
        self->events_.push_back(PointerWheel{notches, 0});
}

} // namespace udmaview::wl
