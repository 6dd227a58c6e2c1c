// SPDX-License-Identifier: MIT
#include "sources/qemu/input_forwarder.h"

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <variant>

#include "sources/qemu/keymap.h"

namespace udmaview::qemu {

namespace {

// The guest is not keeping up beyond this many waiting events: the oldest are dropped.
constexpr size_t max_pending = 4096;

} // namespace

void InputForwarder::queue(const InputEvent& event) {
    std::lock_guard lock(mutex_);
    if (pending_.size() > max_pending)
        pending_.pop_front();
    pending_.push_back(event);
}

void InputForwarder::flush(const Layout* shown) {
    std::deque<InputEvent> events;
    {
        std::lock_guard lock(mutex_);
        events.swap(pending_);
    }
    for (const InputEvent& e : events)
        send(e, shown);
}

void InputForwarder::call(const char* interface, const char* method, GVariant* args) {
    stats_.update([](QemuStats& st) { ++st.inputs_sent; });
    console_->call_async(interface, method, args);
}

void InputForwarder::send(const InputEvent& event, const Layout* shown) {
    if (!console_)
        return;
    if (const auto* key = std::get_if<KeyEvent>(&event)) {
        const uint32_t qnum = linux_key_to_qnum(key->code);
        if (!qnum) {
            if (opt_.verbose)
                log_line("key " + std::to_string(key->code) + " has no PC scancode; dropped");
            return;
        }
        stats_.update([](QemuStats& st) { ++st.keys_sent; });
        call("org.qemu.Display1.Keyboard", key->pressed ? "Press" : "Release",
             g_variant_new("(u)", qnum));
    } else if (const auto* move = std::get_if<PointerMove>(&event)) {
        move_to(move->x, move->y, move->x - last_x_, move->y - last_y_, shown);
    } else if (const auto* motion = std::get_if<PointerMotion>(&event)) {
        move_to(last_x_ + motion->dx, last_y_ + motion->dy, motion->dx, motion->dy, shown);
    } else if (const auto* button = std::get_if<PointerButton>(&event)) {
        const int b = linux_button_to_qemu(button->code);
        if (b >= 0)
            call("org.qemu.Display1.Mouse", button->pressed ? "Press" : "Release",
                 g_variant_new("(u)", uint32_t(b)));
    } else if (const auto* wheel = std::get_if<PointerWheel>(&event)) {
        const uint32_t b = wheel->dy > 0 ? qemu_button_wheel_up : qemu_button_wheel_down;
        for (int32_t i = 0; i < std::abs(wheel->dy) && i < 32; ++i) {
            call("org.qemu.Display1.Mouse", "Press", g_variant_new("(u)", b));
            call("org.qemu.Display1.Mouse", "Release", g_variant_new("(u)", b));
        }
    }
}

void InputForwarder::move_to(int32_t x, int32_t y, int32_t dx, int32_t dy, const Layout* shown) {
    const int32_t max_x = shown ? int32_t(shown->width) - 1 : INT32_MAX;
    const int32_t max_y = shown ? int32_t(shown->height) - 1 : INT32_MAX;
    last_x_ = std::clamp(x, 0, std::max(max_x, 0));
    last_y_ = std::clamp(y, 0, std::max(max_y, 0));
    if (absolute_)
        call("org.qemu.Display1.Mouse", "SetAbsPosition",
             g_variant_new("(uu)", uint32_t(last_x_), uint32_t(last_y_)));
    else if (dx || dy)
        call("org.qemu.Display1.Mouse", "RelMotion", g_variant_new("(ii)", dx, dy));
}

} // namespace udmaview::qemu
