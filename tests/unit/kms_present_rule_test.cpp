// SPDX-License-Identifier: MIT
// The present rule every KMS scan-out path uses, as a table, and where the console sends a
// key by its chord meaning, and the size each source gets on the screen.
#include <gtest/gtest.h>

#include <functional>
#include <vector>

#include "outputs/kms/kms_console.h"
#include "outputs/kms/present_rule.h"
#include "outputs/kms/tile_sizes.h"

using namespace udmaview;
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

namespace {

TEST(KmsTileSizes, OneSourceHasTheMode) {
    const auto sizes = tile_sizes(1, 1024, 768, 300, 225, TileMode::Grid, 0);
    ASSERT_EQ(sizes.size(), 1u);
    EXPECT_EQ(sizes[0].first, 0u);
    EXPECT_EQ(sizes[0].second, (WantedSize{1024, 768, 300, 225}));
}

TEST(KmsTileSizes, NoModeNoSizes) {
    EXPECT_TRUE(tile_sizes(1, 0, 0, 0, 0, TileMode::Grid, 0).empty());
    EXPECT_TRUE(tile_sizes(2, 0, 768, 0, 0, TileMode::Grid, 0).empty());
}

TEST(KmsTileSizes, GridSharesTheScreenAndItsMillimetres) {
    // Two side by side: each half the width less the frame, the millimetres in proportion.
    const auto sizes = tile_sizes(2, 1024, 768, 400, 300, TileMode::Grid, 0);
    ASSERT_EQ(sizes.size(), 2u);
    for (uint32_t i = 0; i < 2; ++i) {
        const WantedSize& s = sizes[i].second;
        EXPECT_EQ(sizes[i].first, i);
        EXPECT_EQ(s.width, 512u - 2 * tile_frame);
        EXPECT_EQ(s.height, 768u - 2 * tile_frame);
        EXPECT_EQ(s.width_mm, 400u * s.width / 1024);
        EXPECT_EQ(s.height_mm, 300u * s.height / 768);
    }
}

TEST(KmsTileSizes, SingleGivesTheFocusedSourceTheScreen) {
    const auto sizes = tile_sizes(3, 1024, 768, 400, 300, TileMode::Single, 2);
    ASSERT_EQ(sizes.size(), 1u);
    EXPECT_EQ(sizes[0].first, 2u);
    EXPECT_EQ(sizes[0].second.width, 1024u - 2 * tile_frame);
}

} // namespace
