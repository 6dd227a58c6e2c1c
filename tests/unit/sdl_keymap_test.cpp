// SPDX-License-Identifier: MIT
#include <SDL_scancode.h>
#include <gtest/gtest.h>
#include <linux/input-event-codes.h>
#include <map>

#include "outputs/sdl/keymap.h"

using namespace udmaview;

TEST(SdlKeymap, CommonKeys) {
    EXPECT_EQ(sdl_scancode_to_linux_key(SDL_SCANCODE_A), KEY_A);
    EXPECT_EQ(sdl_scancode_to_linux_key(SDL_SCANCODE_Z), KEY_Z);
    EXPECT_EQ(sdl_scancode_to_linux_key(SDL_SCANCODE_1), KEY_1);
    EXPECT_EQ(sdl_scancode_to_linux_key(SDL_SCANCODE_0), KEY_0);
    EXPECT_EQ(sdl_scancode_to_linux_key(SDL_SCANCODE_RETURN), KEY_ENTER);
    EXPECT_EQ(sdl_scancode_to_linux_key(SDL_SCANCODE_ESCAPE), KEY_ESC);
    EXPECT_EQ(sdl_scancode_to_linux_key(SDL_SCANCODE_SPACE), KEY_SPACE);
    EXPECT_EQ(sdl_scancode_to_linux_key(SDL_SCANCODE_LSHIFT), KEY_LEFTSHIFT);
    EXPECT_EQ(sdl_scancode_to_linux_key(SDL_SCANCODE_RCTRL), KEY_RIGHTCTRL);
    EXPECT_EQ(sdl_scancode_to_linux_key(SDL_SCANCODE_LGUI), KEY_LEFTMETA);
    EXPECT_EQ(sdl_scancode_to_linux_key(SDL_SCANCODE_F1), KEY_F1);
    EXPECT_EQ(sdl_scancode_to_linux_key(SDL_SCANCODE_F11), KEY_F11);
    EXPECT_EQ(sdl_scancode_to_linux_key(SDL_SCANCODE_F12), KEY_F12);
    EXPECT_EQ(sdl_scancode_to_linux_key(SDL_SCANCODE_UP), KEY_UP);
    EXPECT_EQ(sdl_scancode_to_linux_key(SDL_SCANCODE_KP_ENTER), KEY_KPENTER);
    EXPECT_EQ(sdl_scancode_to_linux_key(SDL_SCANCODE_NONUSBACKSLASH), KEY_102ND);
    EXPECT_EQ(sdl_scancode_to_linux_key(SDL_SCANCODE_PRINTSCREEN), KEY_SYSRQ);
}

TEST(SdlKeymap, LinuxCodesMatchTheirUsbOrder) {
    // Letters are contiguous in SDL (USB usage order a..z) but not in Linux (keyboard rows):
    // check each against the table in linux/input-event-codes.h.
    const uint16_t letters[] = {KEY_A, KEY_B, KEY_C, KEY_D, KEY_E, KEY_F, KEY_G, KEY_H, KEY_I,
                                KEY_J, KEY_K, KEY_L, KEY_M, KEY_N, KEY_O, KEY_P, KEY_Q, KEY_R,
                                KEY_S, KEY_T, KEY_U, KEY_V, KEY_W, KEY_X, KEY_Y, KEY_Z};
    for (int i = 0; i < 26; ++i)
        EXPECT_EQ(sdl_scancode_to_linux_key(SDL_SCANCODE_A + i), letters[i]) << char('a' + i);
    EXPECT_EQ(KEY_A, 30); // the codes the e2e test expects from the demo's log
    EXPECT_EQ(KEY_Q, 16);
}

TEST(SdlKeymap, UnknownAndOutOfRangeAreReserved) {
    EXPECT_EQ(sdl_scancode_to_linux_key(SDL_SCANCODE_UNKNOWN), KEY_RESERVED);
    EXPECT_EQ(sdl_scancode_to_linux_key(-1), KEY_RESERVED);
    EXPECT_EQ(sdl_scancode_to_linux_key(SDL_NUM_SCANCODES), KEY_RESERVED);
    EXPECT_EQ(sdl_scancode_to_linux_key(100000), KEY_RESERVED);
}

TEST(SdlKeymap, NoTwoKeysShareACodeExceptKnownAliases) {
    std::map<uint16_t, int> seen;
    for (int sc = 0; sc < SDL_NUM_SCANCODES; ++sc) {
        const uint16_t code = sdl_scancode_to_linux_key(sc);
        if (!code)
            continue;
        EXPECT_LE(code, KEY_MAX);
        auto [it, fresh] = seen.emplace(code, sc);
        if (!fresh) {
            // Keys that are the same key to Linux: the ISO hash key is backslash, Mode is
            // AltGr, AudioMute is Mute, AC Stop is Stop.
            const bool alias = (code == KEY_BACKSLASH) || (code == KEY_RIGHTALT) ||
                               (code == KEY_MUTE) || (code == KEY_STOP);
            EXPECT_TRUE(alias) << "SDL scancodes " << it->second << " and " << sc << " both map to "
                               << code;
        }
    }
    EXPECT_GT(seen.size(), 140u);
}
