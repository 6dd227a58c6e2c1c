// SPDX-License-Identifier: MIT
// Keyboard and pointer from the compositor's seat, turned into the guest's input events.
// Wayland's key codes are Linux evdev codes already, so keys pass through as on the console;
// the pointer is mapped from the picture surface's coordinates into source pixels by the
// window's placement. F11 and Ctrl+Alt+F toggle full screen, as in the SDL window.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <vector>

#include "outputs/wayland/wayland_connection.h"
#include "outputs/wayland/wayland_window.h"
#include "udmaview/input.h"

namespace udmaview::wl {

class WaylandInput {
public:
    WaylandInput(WaylandConnection& conn, WaylandWindow& window);
    ~WaylandInput();
    WaylandInput(const WaylandInput&) = delete;
    WaylandInput& operator=(const WaylandInput&) = delete;

    // What arrived for the guest since the last call, in order.
    std::vector<InputEvent> take() { return std::exchange(events_, {}); }
    // The user asked for full screen on or off (a chord, swallowed).
    bool take_fullscreen_toggle() { return std::exchange(fullscreen_toggle_, false); }
    // The pointer entered one of the window's surfaces (the enter's serial, which
    // wl_pointer.set_cursor needs) or left (pointer null), since the last call.
    struct PointerFocus {
        wl_pointer* pointer = nullptr;
        uint32_t serial = 0;
    };
    std::optional<PointerFocus> take_focus_change() { return std::exchange(focus_change_, {}); }

private:
    void capabilities(uint32_t caps);
    static void on_keymap(void*, wl_keyboard*, uint32_t, int32_t fd, uint32_t);
    static void on_key_enter(void*, wl_keyboard*, uint32_t, wl_surface*, wl_array*) {}
    static void on_key_leave(void* data, wl_keyboard*, uint32_t, wl_surface*);
    static void on_key(void* data, wl_keyboard*, uint32_t, uint32_t, uint32_t key, uint32_t state);
    static void on_modifiers(void*, wl_keyboard*, uint32_t, uint32_t, uint32_t, uint32_t,
                             uint32_t) {}
    static void on_repeat_info(void*, wl_keyboard*, int32_t, int32_t) {}
    static void on_pointer_enter(void* data, wl_pointer*, uint32_t, wl_surface* surface,
                                 wl_fixed_t x, wl_fixed_t y);
    static void on_pointer_leave(void* data, wl_pointer*, uint32_t, wl_surface*);
    static void on_motion(void* data, wl_pointer*, uint32_t, wl_fixed_t x, wl_fixed_t y);
    static void on_button(void* data, wl_pointer*, uint32_t, uint32_t, uint32_t button,
                          uint32_t state);
    static void on_axis(void* data, wl_pointer*, uint32_t, uint32_t axis, wl_fixed_t value);
    static void on_frame(void*, wl_pointer*) {}
    static void on_axis_source(void*, wl_pointer*, uint32_t) {}
    static void on_axis_stop(void*, wl_pointer*, uint32_t, uint32_t) {}
    static void on_axis_discrete(void* data, wl_pointer*, uint32_t axis, int32_t discrete);

    void key(uint16_t code, bool pressed);
    void release_all();
    void move(wl_fixed_t x, wl_fixed_t y);

    WaylandConnection& conn_;
    WaylandWindow& window_;
    wl_keyboard* keyboard_ = nullptr;
    wl_pointer* pointer_ = nullptr;
    wl_surface* pointer_surface_ = nullptr;
    std::set<uint16_t> keys_down_, buttons_down_, swallowed_;
    std::vector<InputEvent> events_;
    bool fullscreen_toggle_ = false;
    std::optional<PointerFocus> focus_change_;
    bool discrete_seen_ = false; // axis_discrete (seat v5) already gave this frame's notches
};

} // namespace udmaview::wl
