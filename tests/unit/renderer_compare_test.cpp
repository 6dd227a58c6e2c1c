// SPDX-License-Identifier: MIT
// The two renderers draw the same pixels for one scene: GLES on Mesa's surfaceless llvmpipe
// (skipped where there is none) against pixman into memory. Every format and scale mode,
// a bottom-up picture, tiles with frame and "ended", hud and a translucent pointer (both
// blend premultiplied colours, render/premultiply.h): nearest identical, bilinear within 3
// per 8-bit channel (GL's and pixman's bilinear weights are quantised differently).
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "render/gles_scene_renderer.h"
#include "render/hud.h"
#include "render/pixman_renderer.h"
#include "scene_pictures.h"
#include "surfaceless_gles.h"

using namespace udmaview;
using test::make_picture;

namespace {

struct Both {
    Both(uint32_t w, uint32_t h, size_t tiles, ScaleMode mode, bool linear)
        : w(w)
        , h(h)
        , fb(w, h)
        , memory(size_t(w) * h * 4, 0x77)
        , scene(tiles, mode, linear) {
        RendererOptions o;
        o.scale = mode;
        o.linear = linear;
        gles = std::move(GlesSceneRenderer::create(gl.display(), o)).value();
        pixman = std::move(PixmanRenderer::create(
                               {memory.data(), w * 4, w, h, make_fourcc('X', 'R', '2', '4')}))
                     .value();
        scene.resize(w, h);
    }
    void show(const Frame& f) {
        SubmitStats s;
        ASSERT_TRUE(gles->update(f, s));
        ASSERT_TRUE(pixman->update(f, s));
        scene.frame_shown(f);
    }
    // Draws the scene's damage with both; returns the largest channel difference and
    // where it is.
    int compare(std::string& where) {
        EXPECT_TRUE(gles->draw(scene, scene.damage()));
        EXPECT_TRUE(pixman->draw(scene, scene.damage()));
        scene.clear_damage();
        const RgbaImage image = gles->textures().read_pixels(w, h);
        int worst = 0;
        for (uint32_t y = 0; y < h; ++y)
            for (uint32_t x = 0; x < w; ++x) {
                const uint8_t* g = &image.pixels[(size_t(y) * w + x) * 4];
                const uint8_t* p = &memory[(size_t(y) * w + x) * 4]; // B, G, R, X
                const int d[3] = {std::abs(g[0] - p[2]), std::abs(g[1] - p[1]),
                                  std::abs(g[2] - p[0])};
                for (int c : d)
                    if (c > worst) {
                        worst = c;
                        where = std::to_string(x) + "," + std::to_string(y) + " gl " +
                                std::to_string(g[0]) + "," + std::to_string(g[1]) + "," +
                                std::to_string(g[2]) + " pixman " + std::to_string(p[2]) + "," +
                                std::to_string(p[1]) + "," + std::to_string(p[0]);
                    }
            }
        return worst;
    }

    test::SurfacelessContext gl;
    uint32_t w, h;
    test::Target fb;
    std::vector<uint8_t> memory;
    Scene scene;
    std::unique_ptr<GlesSceneRenderer> gles;
    std::unique_ptr<PixmanRenderer> pixman;
};

bool have_gl() {
    test::SurfacelessContext gl;
    return gl.ok();
}

} // namespace

TEST(RendererCompare, EveryFormatAndScaleModeNearestIdenticalLinearClose) {
    if (!have_gl())
        GTEST_SKIP() << "no surfaceless GLES";
    struct Case {
        uint32_t sw, sh, tw, th;
        ScaleMode mode;
    };
    const Case cases[] = {
        {64, 48, 64, 48, ScaleMode::None},      {90, 70, 64, 48, ScaleMode::None},
        {40, 30, 130, 100, ScaleMode::Integer}, {37, 23, 200, 150, ScaleMode::Fit},
        {101, 77, 61, 53, ScaleMode::Fit},      {640, 480, 1366, 768, ScaleMode::Fit},
    };
    for (bool linear : {false, true})
        for (const Format& f : all_formats())
            for (const Case& c : cases) {
                if (c.sw > 200 && f.fourcc != make_fourcc('X', 'R', '2', '4'))
                    continue;
                for (bool bottom_up : {false, true}) {
                    Both both(c.tw, c.th, 1, c.mode, linear);
                    const test::Picture pic = make_picture(f, c.sw, c.sh, 7, bottom_up);
                    both.show(pic.frame(1));
                    std::string where;
                    const int worst = both.compare(where);
                    EXPECT_LE(worst, linear ? 3 : 0)
                        << f.name << " " << c.sw << "x" << c.sh << " on " << c.tw << "x" << c.th
                        << (linear ? " linear" : " nearest") << (bottom_up ? " bottom-up" : "")
                        << ": " << where;
                }
            }
}

TEST(RendererCompare, TilesHudPointerAndDamage) {
    if (!have_gl())
        GTEST_SKIP() << "no surfaceless GLES";
    for (bool linear : {false, true}) {
        Both both(700, 420, 3, ScaleMode::Fit, linear);
        const test::Picture a =
            make_picture(*find_format(make_fourcc('X', 'R', '2', '4')), 320, 200, 1);
        const test::Picture b =
            make_picture(*find_format(make_fourcc('R', 'G', '1', '6')), 160, 120, 2);
        const test::Picture c =
            make_picture(*find_format(make_fourcc('B', 'G', '2', '4')), 200, 300, 3);
        both.show(a.frame(1, 0));
        both.show(b.frame(2, 1));
        both.show(c.frame(3, 2));
        Hud hud;
        hud.record(0, 1'000'000, 0, 0, "pixman");
        hud.refresh(2'000'000);
        both.scene.set_hud(&hud.image());
        auto cursor = std::make_shared<CursorImage>();
        cursor->width = 12;
        cursor->height = 16;
        cursor->hot_x = 1;
        cursor->hot_y = 1;
        for (uint32_t i = 0; i < 12 * 16; ++i)
            cursor->pixels.push_back(i % 5 == 0 ? 0 : (i % 7 == 0 ? 0x80ff0000 : 0xff2040ff));
        both.scene.set_pointer(CursorState{cursor, 250, 150, true});
        std::string where;
        EXPECT_LE(both.compare(where), linear ? 3 : 0) << "first draw: " << where;

        both.scene.set_ended(2);
        both.scene.set_pointer(CursorState{cursor, 20, 30, true});
        both.scene.move_focus(1);
        EXPECT_LE(both.compare(where), linear ? 3 : 0) << "after ended/focus: " << where;

        Frame partial = b.frame(4, 1);
        partial.damage = Region(Rect{10, 10, 30, 20});
        both.show(partial);
        EXPECT_FALSE(both.scene.damage().empty());
        EXPECT_LE(both.compare(where), linear ? 3 : 0) << "partial: " << where;
    }
}
