// SPDX-License-Identifier: MIT
#include <gtest/gtest.h>
#include <linux/input-event-codes.h>

#include "outputs/kms/evdev_keyboard.h"
#include "outputs/kms/kms_resources.h"

using namespace udmaview;
using namespace udmaview::kms;

namespace {

drmModeModeInfo mode(uint16_t w, uint16_t h, uint32_t hz, bool preferred = false) {
    drmModeModeInfo m{};
    m.hdisplay = w;
    m.vdisplay = h;
    m.vrefresh = hz;
    m.type = preferred ? DRM_MODE_TYPE_PREFERRED : 0;
    return m;
}

ConnectorInfo vga() {
    ConnectorInfo c;
    c.id = 31;
    c.name = "VGA-1";
    c.connected = true;
    c.modes = {mode(1024, 768, 60, true), mode(1280, 1024, 60), mode(800, 600, 56),
               mode(800, 600, 60), mode(640, 480, 60)};
    return c;
}

} // namespace

TEST(KmsMode, Parse) {
    Result<ModeRequest> m = parse_mode("1024x768");
    ASSERT_TRUE(m);
    EXPECT_EQ(m->width, 1024u);
    EXPECT_EQ(m->height, 768u);
    EXPECT_EQ(m->refresh, 0u);
    m = parse_mode("800x600@56");
    ASSERT_TRUE(m);
    EXPECT_EQ(m->refresh, 56u);
    for (const char* bad : {"", "800", "x600", "800x", "800x600@", "0x600", "800x600@6x", "axb"})
        EXPECT_FALSE(parse_mode(bad)) << bad;
}

// One source whose guest does not follow: a mode of the picture's size (1:1 on the plane). A
// guest asked to follow the screen gets the native (preferred) mode; so do tiles.
TEST(KmsMode, TargetIsThePictureUnlessTheGuestFollowsOrTilesShareTheScreen) {
    const ConnectorInfo c = vga();
    auto pick = [&](uint32_t sources, bool follows) {
        const auto [w, h] = mode_target(sources, follows, 800, 600);
        return choose_mode(c, std::nullopt, w, h)->hdisplay;
    };
    EXPECT_EQ(pick(1, false), 800); // keep, or the guest kept its size
    EXPECT_EQ(pick(1, true), 1024); // follow: the preferred mode, asked of the guest
    EXPECT_EQ(pick(2, false), 1024);
    EXPECT_EQ(pick(4, true), 1024);
    EXPECT_EQ(mode_target(1, false, 640, 480), (std::pair<uint32_t, uint32_t>{640, 480}));
    EXPECT_EQ(mode_target(1, true, 640, 480), (std::pair<uint32_t, uint32_t>{0, 0}));
}

TEST(KmsMode, ChooseRequestedPreferredOrSourceSize) {
    const ConnectorInfo c = vga();
    EXPECT_EQ(choose_mode(c, std::nullopt)->hdisplay, 1024);
    // No request: a mode of the source's size wins (1:1 scanout), highest refresh.
    Result<drmModeModeInfo> m = choose_mode(c, std::nullopt, 800, 600);
    ASSERT_TRUE(m);
    EXPECT_EQ(m->vrefresh, 60u);
    EXPECT_EQ(choose_mode(c, std::nullopt, 123, 45)->hdisplay, 1024); // not offered: preferred
    m = choose_mode(c, ModeRequest{800, 600, 56});
    ASSERT_TRUE(m);
    EXPECT_EQ(m->vrefresh, 56u);
    Result<drmModeModeInfo> bad = choose_mode(c, ModeRequest{1234, 567, 0});
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.error().message.find("does not offer it"), std::string::npos);
    EXPECT_NE(bad.error().message.find("800x600@56"), std::string::npos);
}

TEST(KmsKeys, EscapeChordQuitsAndIsNotForwarded) {
    KeyChords k;
    int vt = 0;
    EXPECT_EQ(k.feed({KEY_Q, true}, vt), KeyAction::Forward); // plain q goes to the guest
    EXPECT_EQ(k.feed({KEY_Q, false}, vt), KeyAction::Forward);
    EXPECT_EQ(k.feed({KEY_LEFTCTRL, true}, vt), KeyAction::Forward);
    EXPECT_EQ(k.feed({KEY_RIGHTALT, true}, vt), KeyAction::Forward);
    EXPECT_EQ(k.feed({KEY_Q, true}, vt), KeyAction::Quit);
    EXPECT_EQ(k.feed({KEY_Q, false}, vt), KeyAction::Swallow);
}

TEST(KmsKeys, CtrlAltFnSwitchesVt) {
    KeyChords k;
    int vt = 0;
    k.feed({KEY_RIGHTCTRL, true}, vt);
    k.feed({KEY_LEFTALT, true}, vt);
    EXPECT_EQ(k.feed({KEY_F2, true}, vt), KeyAction::SwitchVt);
    EXPECT_EQ(vt, 2);
    EXPECT_EQ(k.feed({KEY_F2, false}, vt), KeyAction::Swallow);
    EXPECT_EQ(k.feed({KEY_F12, true}, vt), KeyAction::SwitchVt);
    EXPECT_EQ(vt, 12);
    k.feed({KEY_LEFTALT, false}, vt);
    EXPECT_EQ(k.feed({KEY_F3, true}, vt), KeyAction::Forward); // Ctrl+F3 alone is the guest's
}

TEST(KmsKeys, CtrlAltHTogglesTheHudAndIsNotForwarded) {
    KeyChords k;
    int vt = 0;
    EXPECT_EQ(k.feed({KEY_H, true}, vt), KeyAction::Forward); // plain h goes to the guest
    EXPECT_EQ(k.feed({KEY_H, false}, vt), KeyAction::Forward);
    k.feed({KEY_LEFTCTRL, true}, vt);
    k.feed({KEY_LEFTALT, true}, vt);
    EXPECT_EQ(k.feed({KEY_H, true}, vt), KeyAction::ToggleHud);
    EXPECT_EQ(k.feed({KEY_H, false}, vt), KeyAction::Swallow);
}
