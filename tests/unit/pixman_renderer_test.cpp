// SPDX-License-Identifier: MIT
// PixmanRenderer against references computed here: nearest is exact (the source pixel under
// each target pixel's centre) for every format, scale mode and a bottom-up picture; only the
// damaged rectangles are written; letterbox black, tiles, focus frame, "ended", hud, pointer;
// bilinear stays between its neighbours; targets and sources pixman lacks are refused.
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "render/hud.h"
#include "render/pixman_renderer.h"
#include "scene_pictures.h"

using namespace udmaview;
using test::make_picture;
using test::nearest_index;

namespace {

constexpr uint32_t xrgb = make_fourcc('X', 'R', '2', '4');
constexpr uint32_t rgb565 = make_fourcc('R', 'G', '1', '6');

struct Memory {
    Memory(uint32_t w, uint32_t h, uint32_t fourcc, uint8_t fill = 0x5a)
        : format(find_format(fourcc))
        , bytes(size_t((w * format->bytes_per_pixel + 3) / 4 * 4) * h, fill) {
        target = {bytes.data(), (w * format->bytes_per_pixel + 3) / 4 * 4, w, h, fourcc};
    }
    void rgba_at(uint32_t x, uint32_t y, uint8_t rgba[4]) const {
        format->to_rgba8(bytes.data() + size_t(y) * target.stride + x * format->bytes_per_pixel,
                         rgba);
    }
    const Format* format;
    std::vector<uint8_t> bytes;
    RenderTarget target;
};

// What the target must show at (x, y) when picture is placed nearest by scene tile 0.
void expect_nearest(const Scene& scene, const test::Picture& pic, const Memory& mem,
                    const std::string& what) {
    const Rect vp = scene.picture_rect(0), shown = scene.placement(0).dst;
    const Layout& l = pic.layout();
    int bad = 0;
    for (uint32_t y = 0; y < mem.target.height && bad < 5; ++y)
        for (uint32_t x = 0; x < mem.target.width && bad < 5; ++x) {
            uint8_t want[4] = {0, 0, 0, 255}, got[4];
            if (shown.contains_point(int32_t(x), int32_t(y))) {
                const uint32_t sx = nearest_index(int32_t(x) - vp.x, vp.w, l.width, false);
                const uint32_t sy = nearest_index(int32_t(y) - vp.y, vp.h, l.height, false);
                pic.rgba_at(sx, sy, want);
                // Through the target's format and back.
                uint8_t packed[4];
                mem.format->from_rgba8(want, packed);
                mem.format->to_rgba8(packed, want);
            }
            mem.rgba_at(x, y, got);
            if (std::memcmp(want, got, 3) != 0) {
                ADD_FAILURE() << what << ": pixel " << x << "," << y << " is " << int(got[0]) << ","
                              << int(got[1]) << "," << int(got[2]) << ", want " << int(want[0])
                              << "," << int(want[1]) << "," << int(want[2]);
                ++bad;
            }
        }
}

void draw_all(PixmanRenderer& r, Scene& scene, const test::Picture& pic) {
    SubmitStats stats;
    ASSERT_TRUE(r.update(pic.frame(1), stats));
    scene.frame_shown(pic.frame(1));
    ASSERT_TRUE(r.draw(scene, scene.damage()));
    scene.clear_damage();
}

} // namespace

TEST(PixmanRenderer, NearestIsExactForEveryFormatAndScaleMode) {
    struct Case {
        uint32_t sw, sh, tw, th;
        ScaleMode mode;
    };
    const Case cases[] = {
        {64, 48, 64, 48, ScaleMode::None},     {64, 48, 100, 70, ScaleMode::None},
        {90, 70, 64, 48, ScaleMode::None},     {40, 30, 130, 100, ScaleMode::Integer},
        {37, 23, 200, 150, ScaleMode::Fit},    {101, 77, 61, 53, ScaleMode::Fit},
        {640, 480, 1366, 768, ScaleMode::Fit}, {33, 31, 1000, 997, ScaleMode::Fit},
    };
    for (const Format& f : all_formats())
        for (const Case& c : cases) {
            if (c.sw > 200 && f.fourcc != xrgb)
                continue; // the large ratios once: they test rounding, not formats
            const test::Picture pic = make_picture(f, c.sw, c.sh, 3);
            for (uint32_t target : {xrgb, rgb565}) {
                Memory mem(c.tw, c.th, target);
                auto r = std::move(PixmanRenderer::create(mem.target)).value();
                Scene scene(1, c.mode, false);
                scene.resize(c.tw, c.th);
                draw_all(*r, scene, pic);
                expect_nearest(scene, pic, mem,
                               std::string(f.name) + " " + std::to_string(c.sw) + "x" +
                                   std::to_string(c.sh) + " on " + std::to_string(c.tw) + "x" +
                                   std::to_string(c.th) + " " +
                                   std::string(find_format(target)->name));
            }
        }
}

TEST(PixmanRenderer, BottomUpRowsAreCountedFromTheBottom) {
    const Format& f = *find_format(xrgb);
    const test::Picture pic = make_picture(f, 30, 20, 1, true);
    Memory mem(70, 47, xrgb);
    auto r = std::move(PixmanRenderer::create(mem.target)).value();
    Scene scene(1, ScaleMode::Fit, false);
    scene.resize(70, 47);
    draw_all(*r, scene, pic);
    const Rect vp = scene.picture_rect(0);
    for (uint32_t y = uint32_t(vp.y); y < uint32_t(vp.bottom()); ++y) {
        uint8_t want[4], got[4];
        pic.rgba_at(nearest_index(int32_t(13) - vp.x, vp.w, 30, false),
                    nearest_index(int32_t(y) - vp.y, vp.h, 20, true), want);
        mem.rgba_at(13, y, got);
        ASSERT_EQ(0, std::memcmp(want, got, 3)) << "row " << y;
    }
}

TEST(PixmanRenderer, WritesOnlyTheRectsItIsGiven) {
    const test::Picture pic = make_picture(*find_format(xrgb), 40, 30, 2);
    Memory mem(80, 60, xrgb, 0x5a);
    auto r = std::move(PixmanRenderer::create(mem.target)).value();
    Scene scene(1, ScaleMode::Fit, false);
    scene.resize(80, 60);
    SubmitStats stats;
    ASSERT_TRUE(r->update(pic.frame(1), stats));
    EXPECT_EQ(stats.path, "pixman");
    EXPECT_EQ(stats.imports, 1u);
    scene.frame_shown(pic.frame(1));
    Region rects;
    rects.add(Rect{3, 4, 10, 7});
    rects.add(Rect{50, 40, 5, 5});
    ASSERT_TRUE(r->draw(scene, rects));
    for (uint32_t y = 0; y < 60; ++y)
        for (uint32_t x = 0; x < 80; ++x) {
            const uint8_t* p = mem.bytes.data() + y * mem.target.stride + x * 4;
            const bool inside = rects.contains_point(int32_t(x), int32_t(y));
            const bool untouched = p[0] == 0x5a && p[1] == 0x5a && p[2] == 0x5a;
            ASSERT_EQ(!inside, untouched) << x << "," << y;
        }
}

TEST(PixmanRenderer, TilesFrameAndEndedLabel) {
    const test::Picture a = make_picture(*find_format(xrgb), 20, 10, 1);
    const test::Picture b = make_picture(*find_format(make_fourcc('R', 'G', '1', '6')), 20, 10, 2);
    Memory mem(48, 14, xrgb);
    auto r = std::move(PixmanRenderer::create(mem.target)).value();
    Scene scene(2, ScaleMode::None, false);
    scene.resize(48, 14);
    SubmitStats stats;
    ASSERT_TRUE(r->update(a.frame(1, 0), stats));
    ASSERT_TRUE(r->update(b.frame(2, 1), stats));
    scene.frame_shown(a.frame(1, 0));
    scene.frame_shown(b.frame(2, 1));
    ASSERT_TRUE(r->draw(scene, scene.damage()));
    uint8_t got[4], want[4];
    mem.rgba_at(0, 0, got); // the focused tile's amber frame
    EXPECT_EQ(got[0], 255);
    EXPECT_EQ(got[1], 191);
    EXPECT_EQ(got[2], 0);
    mem.rgba_at(24 + 2 + 5, 2 + 3, got); // tile 1's picture at 1:1
    b.rgba_at(5, 3, want);
    EXPECT_EQ(0, std::memcmp(got, want, 3));
    mem.rgba_at(24, 0, got); // the unfocused tile's frame is black
    EXPECT_EQ(got[0] | got[1] | got[2], 0);

    scene.clear_damage();
    scene.set_ended(1);
    EXPECT_EQ(scene.damage().bounds(), (Rect{24, 0, 24, 14}));
    ASSERT_TRUE(r->draw(scene, scene.damage()));
    for (const SceneFill& f : ended_label(scene.area(1))) {
        if (f.rect.empty())
            continue;
        mem.rgba_at(uint32_t(f.rect.x), uint32_t(f.rect.y), got);
        EXPECT_EQ(got[0], f.r);
        EXPECT_EQ(got[2], f.b);
    }
}

TEST(PixmanRenderer, HudAndPointerAreBlendedOver) {
    const test::Picture pic = make_picture(*find_format(xrgb), 400, 200, 4);
    Memory mem(400, 200, xrgb);
    auto r = std::move(PixmanRenderer::create(mem.target)).value();
    Scene scene(1, ScaleMode::None, false);
    scene.resize(400, 200);
    Hud hud;
    hud.refresh(1);
    scene.set_hud(&hud.image());
    auto cursor = std::make_shared<CursorImage>();
    cursor->width = 4;
    cursor->height = 4;
    cursor->pixels.assign(16, 0xff00ff00); // opaque green
    cursor->pixels[0] = 0x00000000;        // one transparent pixel
    scene.set_pointer(CursorState{cursor, 300, 150, true});
    draw_all(*r, scene, pic);
    uint8_t got[4], want[4];
    mem.rgba_at(301, 151, got);
    EXPECT_EQ(got[0], 0);
    EXPECT_EQ(got[1], 255);
    mem.rgba_at(300, 150, got); // transparent: the picture
    pic.rgba_at(300, 150, want);
    EXPECT_EQ(0, std::memcmp(got, want, 3));
    // The hud's background is black at alpha 176 over the picture.
    const int32_t hx = Scene::hud_offset + 318, hy = Scene::hud_offset + 1;
    mem.rgba_at(uint32_t(hx), uint32_t(hy), got);
    pic.rgba_at(uint32_t(hx), uint32_t(hy), want);
    for (int c = 0; c < 3; ++c)
        EXPECT_NEAR(got[c], want[c] * (255 - 176) / 255.0, 1.0) << c;
    EXPECT_EQ(scene.hud_rect(), (Rect{8, 8, int32_t(Hud::width), int32_t(Hud::height)}));
}

TEST(PixmanRenderer, BilinearStaysBetweenNeighbours) {
    const test::Picture pic = make_picture(*find_format(xrgb), 16, 16, 5);
    Memory mem(48, 48, xrgb);
    auto r = std::move(PixmanRenderer::create(mem.target)).value();
    Scene scene(1, ScaleMode::Integer, true);
    scene.resize(48, 48);
    draw_all(*r, scene, pic);
    // At 3×, the centre of each source pixel's 3×3 block is that pixel exactly.
    for (uint32_t y = 0; y < 16; ++y)
        for (uint32_t x = 0; x < 16; ++x) {
            uint8_t got[4], want[4];
            mem.rgba_at(x * 3 + 1, y * 3 + 1, got);
            pic.rgba_at(x, y, want);
            for (int c = 0; c < 3; ++c)
                ASSERT_NEAR(got[c], want[c], 1) << x << "," << y;
        }
}

TEST(PixmanRenderer, RefusesWhatPixmanCannotDo) {
    std::vector<uint8_t> bytes(64 * 64 * 4);
    Result<std::unique_ptr<PixmanRenderer>> bad_format =
        PixmanRenderer::create({bytes.data(), 256, 64, 64, make_fourcc('Y', 'U', 'Y', 'V')});
    ASSERT_FALSE(bad_format);
    EXPECT_NE(bad_format.error().message.find("no pixman equivalent"), std::string::npos);
    EXPECT_FALSE(PixmanRenderer::create({bytes.data(), 255, 63, 64, xrgb}));
    EXPECT_FALSE(PixmanRenderer::create({bytes.data(), 128, 64, 64, xrgb})); // row too short
    EXPECT_FALSE(PixmanRenderer::create({nullptr, 256, 64, 64, xrgb}));

    // A 3-byte format whose rows are not 4-byte aligned.
    Layout l{5, 4, 15, 0, find_format(make_fourcc('R', 'G', '2', '4'))};
    OwnedBuffer odd = std::move(OwnedBuffer::create("odd", l, nullptr, "test")).value();
    auto r = std::move(PixmanRenderer::create({bytes.data(), 256, 64, 64, xrgb})).value();
    Frame f;
    f.buffer = odd.buffer;
    SubmitStats stats;
    Status s = r->update(f, stats);
    ASSERT_FALSE(s);
    EXPECT_NE(s.error().message.find("multiple of 4"), std::string::npos);
}

TEST(PixmanRenderer, ExactSpanKeepsRoundingBelowTheBias) {
    EXPECT_EQ(PixmanRenderer::exact_span(640, 1024), INT32_MAX); // 0.625 is exact in 16.16
    EXPECT_EQ(PixmanRenderer::exact_span(64, 64), INT32_MAX);
    EXPECT_GE(PixmanRenderer::exact_span(33, 1000), 1);
    EXPECT_LT(PixmanRenderer::exact_span(33, 1000), 64);
}
