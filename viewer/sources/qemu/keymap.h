// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>

namespace udmaview::qemu {

// Linux input key code (KEY_*, linux/input-event-codes.h) → the key number QEMU's D-Bus
// Keyboard.Press/Release take: PC scancode set 1, extended (0xE0-prefixed) keys as
// 0x80 | code (Esc = 1, Enter = 28, Up = 0xC8). 0 when the key has no set-1 code.
uint32_t linux_key_to_qnum(uint16_t linux_code);

// Linux BTN_* → QEMU's InputButton enum as Mouse.Press/Release take it (left 0, middle 1,
// right 2, side 5, extra 6); -1 for other buttons.
int linux_button_to_qemu(uint16_t linux_code);
constexpr uint32_t qemu_button_wheel_up = 3;
constexpr uint32_t qemu_button_wheel_down = 4;

} // namespace udmaview::qemu
