// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>

namespace udmaview {

// An SDL scancode (SDL_Scancode: USB HID keyboard usage IDs) as a Linux input key code
// (linux/input-event-codes.h: KEY_A, KEY_LEFTSHIFT, …); 0 (KEY_RESERVED) when the key has
// no Linux code. Scancodes name physical positions, so the guest applies its own layout.
uint16_t sdl_scancode_to_linux_key(int scancode);

} // namespace udmaview
