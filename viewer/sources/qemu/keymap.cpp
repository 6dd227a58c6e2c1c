// SPDX-License-Identifier: MIT
#include "sources/qemu/keymap.h"

#include <linux/input-event-codes.h>

namespace udmaview::qemu {

namespace {

struct Extended {
    uint16_t linux_code;
    uint32_t qnum;
};

// Keys whose Linux code is not their set-1 scancode (everything above KEY_F12 and the
// 0xE0-prefixed keys); from the AT set-1 tables QEMU itself uses (ui/keycodemapdb).
constexpr Extended extended[] = {
    {KEY_ZENKAKUHANKAKU, 0x76},
    {KEY_RO, 0x73},
    {KEY_KATAKANA, 0x78},
    {KEY_HIRAGANA, 0x77},
    {KEY_HENKAN, 0x79},
    {KEY_KATAKANAHIRAGANA, 0x70},
    {KEY_MUHENKAN, 0x7b},
    {KEY_KPENTER, 0x9c},
    {KEY_RIGHTCTRL, 0x9d},
    {KEY_KPSLASH, 0xb5},
    {KEY_SYSRQ, 0xb7}, // Print Screen (Alt+SysRq would be 0x54)
    {KEY_RIGHTALT, 0xb8},
    {KEY_HOME, 0xc7},
    {KEY_UP, 0xc8},
    {KEY_PAGEUP, 0xc9},
    {KEY_LEFT, 0xcb},
    {KEY_RIGHT, 0xcd},
    {KEY_END, 0xcf},
    {KEY_DOWN, 0xd0},
    {KEY_PAGEDOWN, 0xd1},
    {KEY_INSERT, 0xd2},
    {KEY_DELETE, 0xd3},
    {KEY_MUTE, 0xa0},
    {KEY_VOLUMEDOWN, 0xae},
    {KEY_VOLUMEUP, 0xb0},
    {KEY_POWER, 0xde},
    {KEY_KPEQUAL, 0x59},
    {KEY_PAUSE, 0xc6},
    {KEY_KPCOMMA, 0x7e},
    {KEY_YEN, 0x7d},
    {KEY_LEFTMETA, 0xdb},
    {KEY_RIGHTMETA, 0xdc},
    {KEY_COMPOSE, 0xdd},
    {KEY_SLEEP, 0xdf},
    {KEY_WAKEUP, 0xe3},
    {KEY_F13, 0x5d},
    {KEY_F14, 0x5e},
    {KEY_F15, 0x5f},
};

} // namespace

uint32_t linux_key_to_qnum(uint16_t linux_code) {
    // KEY_ESC (1) … KEY_KPDOT (83), KEY_102ND (86), KEY_F11 (87), KEY_F12 (88): the Linux
    // codes were taken from set 1, so they are the scancodes themselves.
    if ((linux_code >= KEY_ESC && linux_code <= KEY_KPDOT) ||
        (linux_code >= KEY_102ND && linux_code <= KEY_F12))
        return linux_code;
    for (const Extended& e : extended)
        if (e.linux_code == linux_code)
            return e.qnum;
    return 0;
}

int linux_button_to_qemu(uint16_t linux_code) {
    switch (linux_code) {
    case BTN_LEFT:
        return 0;
    case BTN_MIDDLE:
        return 1;
    case BTN_RIGHT:
        return 2;
    case BTN_SIDE:
        return 5;
    case BTN_EXTRA:
        return 6;
    default:
        return -1;
    }
}

} // namespace udmaview::qemu
