// SPDX-License-Identifier: MIT
// Scene → the target rectangles to redraw: a frame's damage lands where its picture is
// (scaled, bottom-up rows flipped, widened for linear), inside its own tile; a new size,
// focus or mode redraws everything; hud and pointer damage their old and new rects.
#include <gtest/gtest.h>

#include "render/hud.h"
#include "render/scene.h"
#include "scene_pictures.h"

using namespace udmaview;
using test::make_picture;

namespace {

const Format& xrgb() {
    return *find_format(make_fourcc('X', 'R', '2', '4'));
}

Frame with_damage(const test::Picture& p, Rect r, uint32_t source = 0) {
    Frame f = p.frame(2, source);
    f.damage = Region(r);
    return f;
}

} // namespace

TEST(Scene, FirstFrameAndResizeDamageEverything) {
    const test::Picture pic = make_picture(xrgb(), 64, 48);
    Scene scene(1, ScaleMode::Fit, false);
    scene.resize(128, 96);
    EXPECT_EQ(scene.damage(), Region(Rect{0, 0, 128, 96}));
    scene.clear_damage();
    scene.frame_shown(pic.frame(1));
    EXPECT_EQ(scene.damage(), Region(Rect{0, 0, 128, 96}));
    scene.clear_damage();
    scene.resize(128, 96);
    EXPECT_TRUE(scene.damage().empty());
}

TEST(Scene, DamageIsScaledWithThePicture) {
    const test::Picture pic = make_picture(xrgb(), 64, 48);
    Scene scene(1, ScaleMode::Integer, false);
    scene.resize(200, 100); // 2×: picture at 36,2 128x96
    scene.frame_shown(pic.frame(1));
    scene.clear_damage();
    scene.frame_shown(with_damage(pic, {10, 5, 3, 2}));
    EXPECT_EQ(scene.damage(), Region(Rect{36 + 20, 2 + 10, 6, 4}));
}

TEST(Scene, LinearWidensAndBottomUpFlips) {
    const test::Picture up = make_picture(xrgb(), 64, 48, 0, true);
    Scene scene(1, ScaleMode::None, true);
    scene.resize(64, 48);
    scene.frame_shown(up.frame(1));
    scene.clear_damage();
    scene.frame_shown(with_damage(up, {10, 0, 4, 2})); // buffer rows 0-1: the picture's bottom
    EXPECT_EQ(scene.damage(), Region(Rect{9, 45, 6, 3}));
}

TEST(Scene, DamageStaysInItsTile) {
    const test::Picture a = make_picture(xrgb(), 20, 10), b = make_picture(xrgb(), 20, 10);
    Scene scene(2, ScaleMode::None, false);
    scene.resize(48, 14);
    scene.frame_shown(a.frame(1, 0));
    scene.frame_shown(b.frame(1, 1));
    scene.clear_damage();
    scene.frame_shown(with_damage(b, {0, 0, 20, 10}, 1));
    EXPECT_EQ(scene.damage(), Region(Rect{26, 2, 20, 10}));
    scene.clear_damage();
    scene.move_focus(1);
    EXPECT_EQ(scene.damage(), Region(Rect{0, 0, 48, 14}));
    EXPECT_EQ(scene.focus(), 1u);
    scene.clear_damage();
    scene.toggle_mode();
    EXPECT_EQ(scene.area(0), Rect{});
    EXPECT_EQ(scene.area(1), (Rect{2, 2, 44, 10}));
}

TEST(Scene, HudAndPointerDamageOldAndNewPlace) {
    const test::Picture pic = make_picture(xrgb(), 400, 200);
    Scene scene(1, ScaleMode::None, false);
    scene.resize(400, 200);
    scene.frame_shown(pic.frame(1));
    scene.clear_damage();
    Hud hud;
    scene.set_hud(&hud.image());
    EXPECT_EQ(scene.damage(), Region(Rect{8, 8, int32_t(Hud::width), int32_t(Hud::height)}));
    scene.clear_damage();
    scene.set_hud(nullptr);
    EXPECT_EQ(scene.damage(), Region(Rect{8, 8, int32_t(Hud::width), int32_t(Hud::height)}));
    scene.clear_damage();

    auto cursor = std::make_shared<CursorImage>();
    cursor->width = cursor->height = 8;
    cursor->hot_x = cursor->hot_y = 2;
    cursor->pixels.assign(64, 0xffffffff);
    scene.set_pointer(CursorState{cursor, 100, 50, true});
    EXPECT_EQ(scene.damage(), Region(Rect{98, 48, 8, 8}));
    scene.clear_damage();
    scene.set_pointer(CursorState{cursor, 398, 50, true}); // clipped by the picture
    Region want(Rect{98, 48, 8, 8});
    want.add(Rect{396, 48, 4, 8});
    EXPECT_EQ(scene.damage(), want);
    EXPECT_EQ(scene.to_source(150.5, 20.5).x, 150);
}
