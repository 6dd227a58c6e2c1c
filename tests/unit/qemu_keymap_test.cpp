// SPDX-License-Identifier: MIT
#include <gtest/gtest.h>
#include <linux/input-event-codes.h>
#include <map>

#include "sources/qemu/keymap.h"

using namespace udmaview::qemu;

TEST(QemuKeymap, PlainKeysAreTheirSet1Scancodes) {
    EXPECT_EQ(linux_key_to_qnum(KEY_ESC), 1u);
    EXPECT_EQ(linux_key_to_qnum(KEY_1), 2u);
    EXPECT_EQ(linux_key_to_qnum(KEY_A), 0x1eu);
    EXPECT_EQ(linux_key_to_qnum(KEY_ENTER), 28u);
    EXPECT_EQ(linux_key_to_qnum(KEY_LEFTSHIFT), 0x2au);
    EXPECT_EQ(linux_key_to_qnum(KEY_SPACE), 0x39u);
    EXPECT_EQ(linux_key_to_qnum(KEY_F1), 0x3bu);
    EXPECT_EQ(linux_key_to_qnum(KEY_KPDOT), 0x53u);
    EXPECT_EQ(linux_key_to_qnum(KEY_102ND), 0x56u);
    EXPECT_EQ(linux_key_to_qnum(KEY_F11), 0x57u);
    EXPECT_EQ(linux_key_to_qnum(KEY_F12), 0x58u);
}

TEST(QemuKeymap, ExtendedKeysHaveTheHighBit) {
    EXPECT_EQ(linux_key_to_qnum(KEY_UP), 0xc8u);
    EXPECT_EQ(linux_key_to_qnum(KEY_DOWN), 0xd0u);
    EXPECT_EQ(linux_key_to_qnum(KEY_LEFT), 0xcbu);
    EXPECT_EQ(linux_key_to_qnum(KEY_RIGHT), 0xcdu);
    EXPECT_EQ(linux_key_to_qnum(KEY_KPENTER), 0x9cu);
    EXPECT_EQ(linux_key_to_qnum(KEY_RIGHTCTRL), 0x9du);
    EXPECT_EQ(linux_key_to_qnum(KEY_RIGHTALT), 0xb8u);
    EXPECT_EQ(linux_key_to_qnum(KEY_HOME), 0xc7u);
    EXPECT_EQ(linux_key_to_qnum(KEY_DELETE), 0xd3u);
    EXPECT_EQ(linux_key_to_qnum(KEY_LEFTMETA), 0xdbu);
    EXPECT_EQ(linux_key_to_qnum(KEY_KPSLASH), 0xb5u);
}

TEST(QemuKeymap, KeysWithoutScancodeAreZero) {
    EXPECT_EQ(linux_key_to_qnum(KEY_RESERVED), 0u);
    EXPECT_EQ(linux_key_to_qnum(84), 0u); // unassigned between KEY_KPDOT and KEY_ZENKAKUHANKAKU
    EXPECT_EQ(linux_key_to_qnum(KEY_MAX), 0u);
    EXPECT_EQ(linux_key_to_qnum(BTN_LEFT), 0u);
}

TEST(QemuKeymap, NoTwoKeysShareAScancode) {
    std::map<uint32_t, int> seen;
    for (int code = 0; code <= KEY_MAX; ++code) {
        const uint32_t q = linux_key_to_qnum(uint16_t(code));
        if (!q)
            continue;
        EXPECT_LT(q, 0x100u) << code;
        EXPECT_EQ(seen.count(q), 0u) << "key " << code << " and key " << seen[q] << " → " << q;
        seen[q] = code;
    }
    EXPECT_GT(seen.size(), 100u);
}

TEST(QemuKeymap, Buttons) {
    EXPECT_EQ(linux_button_to_qemu(BTN_LEFT), 0);
    EXPECT_EQ(linux_button_to_qemu(BTN_MIDDLE), 1);
    EXPECT_EQ(linux_button_to_qemu(BTN_RIGHT), 2);
    EXPECT_EQ(linux_button_to_qemu(BTN_SIDE), 5);
    EXPECT_EQ(linux_button_to_qemu(BTN_EXTRA), 6);
    EXPECT_EQ(linux_button_to_qemu(KEY_A), -1);
}
