// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <variant>

namespace udmaview {

// Input events travel from an output (window, console) back to the source (the guest).
// Keys and buttons use Linux input event codes (linux/input-event-codes.h: KEY_A, BTN_LEFT):
// evdev delivers them as they are, SDL maps to them, and the QEMU source maps them to the
// PC scancodes QEMU wants.
struct KeyEvent {
    uint16_t code = 0;
    bool pressed = false;
};
// Absolute pointer position in source pixel coordinates.
struct PointerMove {
    int32_t x = 0, y = 0;
};
struct PointerMotion {
    int32_t dx = 0, dy = 0;
};
struct PointerButton {
    uint16_t code = 0; // BTN_LEFT, BTN_RIGHT, BTN_MIDDLE, …
    bool pressed = false;
};
struct PointerWheel {
    int32_t dx = 0, dy = 0; // notches; dy > 0 scrolls up
};

using InputEvent = std::variant<KeyEvent, PointerMove, PointerMotion, PointerButton, PointerWheel>;

} // namespace udmaview
