// SPDX-License-Identifier: MIT
// The present rule every KMS scan-out path uses, as a table, and where the console sends a
// key by its chord meaning.
#include <gtest/gtest.h>

#include <functional>
#include <vector>

#include "outputs/kms/kms_console.h"
#include "outputs/kms/present_rule.h"

using namespace udmaview::kms;

namespace {

struct Row {
    const char* name;
    PresentInputs in;
    PresentStep step;
};

TEST(KmsPresentRule, Table) {
    const std::vector<Row> rows = {
        {"first frame: modeset", {.needs_modeset = true, .fb_id = 5}, PresentStep::Modeset},
        {"modeset even onto the framebuffer on screen",
         {.needs_modeset = true, .fb_id = 5, .on_screen = 5, .has_clips = true},
         PresentStep::Modeset},
        {"a new framebuffer: flip", {.fb_id = 6, .on_screen = 5}, PresentStep::Flip},
        {"a new framebuffer with clips: flip",
         {.fb_id = 6, .on_screen = 5, .has_clips = true},
         PresentStep::Flip},
        {"same framebuffer, damage in the commit: flip with clips",
         {.fb_id = 5, .on_screen = 5, .has_clips = true, .damage_in_commit = true},
         PresentStep::Flip},
        {"same framebuffer, no damage property: DirtyFB",
         {.fb_id = 5, .on_screen = 5, .has_clips = true},
         PresentStep::Dirty},
        {"same framebuffer, nothing changed", {.fb_id = 5, .on_screen = 5}, PresentStep::Nothing},
        {"nothing composed", {.fb_id = 0, .on_screen = 5}, PresentStep::Nothing},
        {"nothing composed, even with a modeset due",
         {.needs_modeset = true, .fb_id = 0},
         PresentStep::Nothing},
    };
    for (const Row& r : rows)
        EXPECT_EQ(present_step(r.in), r.step) << r.name;
}

TEST(KmsConsoleKeys, Routes) {
    EXPECT_EQ(route_key(KeyAction::Forward, true), KeyRoute::Forward);
    EXPECT_EQ(route_key(KeyAction::Forward, false), KeyRoute::Drop) << "switched away";
    EXPECT_EQ(route_key(KeyAction::Swallow, true), KeyRoute::Drop);
    EXPECT_EQ(route_key(KeyAction::SwitchVt, true), KeyRoute::SwitchVt);
    EXPECT_EQ(route_key(KeyAction::SwitchVt, false), KeyRoute::SwitchVt) << "away, still switches";
    for (KeyAction a : {KeyAction::Quit, KeyAction::ToggleHud, KeyAction::FocusPrev,
                        KeyAction::FocusNext, KeyAction::ToggleTiles}) {
        EXPECT_EQ(route_key(a, true), KeyRoute::Output);
        EXPECT_EQ(route_key(a, false), KeyRoute::Output);
    }
}

} // namespace
