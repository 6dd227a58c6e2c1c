// SPDX-License-Identifier: MIT
// wl_seat of the test compositor: a keyboard (no keymap: the client passes evdev codes on)
// and a pointer, and the scripted input sent after the first picture commit. Steps (argv
// --script): "key CODE" (press + release, evdev code), "enter X Y" and "motion X Y" (pointer
// over the picture subsurface, surface coordinates), "button CODE" (press + release),
// "wheel N" (N notches down; negative: up). wl_pointer.set_cursor is recorded.
#include <algorithm>
#include <ctime>
#include <sstream>

#include <fcntl.h>
#include <unistd.h>

#include "test_compositor.h"

namespace testcomp {

namespace {

uint32_t now_ms() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return uint32_t(ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

void release(wl_client*, wl_resource* r) {
    wl_resource_destroy(r);
}

const struct wl_keyboard_interface keyboard_impl = {.release = release};
const struct wl_pointer_interface pointer_impl = {
    .set_cursor =
        [](wl_client*, wl_resource*, uint32_t serial, wl_resource* surface, int32_t x, int32_t y) {
            Surface* sf = surface ? surface_of(surface) : nullptr;
            if (sf) {
                sf->cursor = true;
                // Its buffer may have been committed before it got the role.
                if (sf->current) {
                    Server& s = server();
                    read_buffer(sf->current, s.cursor_pixels, s.cursor_json);
                }
            }
            line("{\"set_cursor\":{\"serial\":" + std::to_string(serial) +
                 ",\"surface\":" + (sf ? std::to_string(sf->id) : std::string("null")) +
                 ",\"hot\":[" + std::to_string(x) + "," + std::to_string(y) + "]}}");
        },
    .release = release,
};

const struct wl_seat_interface seat_impl = {
    .get_pointer =
        [](wl_client* c, wl_resource* r, uint32_t id) {
            wl_resource* p =
                wl_resource_create(c, &wl_pointer_interface, wl_resource_get_version(r), id);
            wl_resource_set_implementation(p, &pointer_impl, nullptr, [](wl_resource* x) {
                std::erase(server().pointers, x);
            });
            server().pointers.push_back(p);
        },
    .get_keyboard =
        [](wl_client* c, wl_resource* r, uint32_t id) {
            wl_resource* k =
                wl_resource_create(c, &wl_keyboard_interface, wl_resource_get_version(r), id);
            wl_resource_set_implementation(k, &keyboard_impl, nullptr, [](wl_resource* x) {
                std::erase(server().keyboards, x);
            });
            server().keyboards.push_back(k);
            const int fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
            wl_keyboard_send_keymap(k, WL_KEYBOARD_KEYMAP_FORMAT_NO_KEYMAP, fd, 0);
            ::close(fd);
            if (wl_resource_get_version(k) >= WL_KEYBOARD_REPEAT_INFO_SINCE_VERSION)
                wl_keyboard_send_repeat_info(k, 0, 0);
        },
    .get_touch = [](wl_client*, wl_resource*, uint32_t) {},
    .release = release,
};

Surface* root_surface(Server& s) {
    for (auto& [r, sf] : s.surfaces)
        if (!sf->sub)
            return sf;
    return nullptr;
}

void pointer_frame(wl_resource* p) {
    if (wl_resource_get_version(p) >= WL_POINTER_FRAME_SINCE_VERSION)
        wl_pointer_send_frame(p);
}

void step(Server& s, const std::string& text, bool& key_focus, bool& pointer_focus) {
    std::istringstream in(text);
    std::string what;
    int32_t a = 0, b = 0;
    in >> what >> a >> b;
    const uint32_t t = now_ms();
    if (what == "key") {
        Surface* root = root_surface(s);
        for (wl_resource* k : s.keyboards) {
            if (!key_focus && root) {
                wl_array keys;
                wl_array_init(&keys);
                wl_keyboard_send_enter(k, wl_display_next_serial(s.display), root->resource, &keys);
                wl_array_release(&keys);
                wl_keyboard_send_modifiers(k, wl_display_next_serial(s.display), 0, 0, 0, 0);
            }
            for (uint32_t state : {WL_KEYBOARD_KEY_STATE_PRESSED, WL_KEYBOARD_KEY_STATE_RELEASED})
                wl_keyboard_send_key(k, wl_display_next_serial(s.display), t, uint32_t(a), state);
        }
        key_focus = true;
    } else if (s.picture) {
        for (wl_resource* p : s.pointers) {
            if (what == "enter" || (!pointer_focus && what == "motion")) {
                wl_pointer_send_enter(p, wl_display_next_serial(s.display), s.picture->resource,
                                      wl_fixed_from_int(a), wl_fixed_from_int(b));
            } else if (what == "motion") {
                wl_pointer_send_motion(p, t, wl_fixed_from_int(a), wl_fixed_from_int(b));
            } else if (what == "button") {
                for (uint32_t st :
                     {WL_POINTER_BUTTON_STATE_PRESSED, WL_POINTER_BUTTON_STATE_RELEASED}) {
                    wl_pointer_send_button(p, wl_display_next_serial(s.display), t, uint32_t(a),
                                           st);
                    pointer_frame(p);
                }
                continue;
            } else if (what == "wheel") {
                if (wl_resource_get_version(p) >= WL_POINTER_AXIS_DISCRETE_SINCE_VERSION) {
                    wl_pointer_send_axis_source(p, WL_POINTER_AXIS_SOURCE_WHEEL);
                    wl_pointer_send_axis_discrete(p, WL_POINTER_AXIS_VERTICAL_SCROLL, a);
                }
                wl_pointer_send_axis(p, t, WL_POINTER_AXIS_VERTICAL_SCROLL,
                                     wl_fixed_from_int(a * 10));
            }
            pointer_frame(p);
        }
        pointer_focus = pointer_focus || what == "enter" || what == "motion";
    }
    line("{\"sent\":\"" + text + "\"}");
}

} // namespace

void send_script(Server& s) {
    s.script_sent = true;
    bool key_focus = false, pointer_focus = false;
    for (const std::string& text : s.opt.script)
        step(s, text, key_focus, pointer_focus);
}

void add_seat_global(Server& s) {
    wl_global_create(
        s.display, &wl_seat_interface, 5, nullptr,
        [](wl_client* c, void*, uint32_t version, uint32_t id) {
            wl_resource* r = wl_resource_create(c, &wl_seat_interface, int(version), id);
            wl_resource_set_implementation(r, &seat_impl, nullptr, nullptr);
            wl_seat_send_capabilities(r, WL_SEAT_CAPABILITY_KEYBOARD | WL_SEAT_CAPABILITY_POINTER);
            if (version >= WL_SEAT_NAME_SINCE_VERSION)
                wl_seat_send_name(r, "testcomp");
        });
}

} // namespace testcomp
