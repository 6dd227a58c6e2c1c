// SPDX-License-Identifier: MIT
// GlesRenderer on a real GLES context: Mesa's surfaceless EGL platform (llvmpipe), drawing
// into a framebuffer object. No window, no X: runs wherever Mesa is installed; skipped where
// no surfaceless EGL display can be made.
#include <EGL/egl.h>
#include <EGL/eglext.h>
#include <GLES3/gl3.h>
#include <cstdlib>
#include <cstring>
#include <gtest/gtest.h>
#include <string_view>
#include <sys/mman.h>

#include "outputs/headless/headless_output.h"
#include "render/cursor_layer.h"
#include "render/gles_renderer.h"
#include "surfaceless_gles.h"
#include "udmaview/memfd.h"
#include "udmaview/png.h"

using namespace udmaview;

namespace {

using test::SurfacelessContext;
using test::Target;

struct TestBuffer {
    Memfd memfd;
    Mapping map;
    std::shared_ptr<const Buffer> buffer;

    const Layout& layout() const { return buffer->layout(); }
    uint8_t* px(int32_t x, int32_t y) {
        return map.data() + layout().offset + size_t(y) * layout().stride +
               size_t(x) * layout().format->bytes_per_pixel;
    }
    // Paints rect with a colour that depends on (x, y, salt).
    void paint(const Rect& rect, uint8_t salt) {
        for (int32_t y = rect.y; y < rect.bottom(); ++y)
            for (int32_t x = rect.x; x < rect.right(); ++x) {
                const uint8_t rgba[4] = {uint8_t(x * 5 + salt), uint8_t(y * 7 + salt * 3),
                                         uint8_t((x ^ y) + salt * 11), 255};
                layout().format->from_rgba8(rgba, px(x, y));
            }
    }
};

TestBuffer make_buffer(uint32_t w, uint32_t h, const char* fmt, bool y0_top = true) {
    const Format* f = *parse_format(fmt);
    const uint32_t stride = w * f->bytes_per_pixel + 32;
    const uint64_t offset = 64;
    const uint64_t size = align_up(offset + uint64_t(stride) * h, page_size());
    Memfd m = std::move(Memfd::create("egl-renderer-test", size)).value();
    Mapping map = std::move(m.map(PROT_READ | PROT_WRITE)).value();
    Layout l{w, h, stride, offset, f};
    l.y0_top = y0_top;
    auto fd = std::make_shared<const UniqueFd>(std::move(m.dup_fd()).value());
    auto buf = std::make_shared<const Buffer>(l, std::vector<Backing>{{fd, 0, size}}, std::nullopt,
                                              "test");
    return {std::move(m), std::move(map), buf};
}

// Every window pixel at (ox + x, oy + y) shows buffer pixel (x, y) (row flipped for bottom-up).
void expect_shows(const RgbaImage& img, TestBuffer& b, int32_t ox = 0, int32_t oy = 0) {
    const Layout& l = b.layout();
    int bad = 0;
    for (int32_t y = 0; y < int32_t(l.height); ++y)
        for (int32_t x = 0; x < int32_t(l.width); ++x) {
            uint8_t want[4];
            const int32_t row = l.y0_top ? y : int32_t(l.height) - 1 - y;
            l.format->to_rgba8(b.px(x, row), want);
            const uint8_t* got = img.at(uint32_t(ox + x), uint32_t(oy + y));
            if ((got[0] != want[0] || got[1] != want[1] || got[2] != want[2]) && bad++ < 5)
                ADD_FAILURE() << "window pixel (" << ox + x << "," << oy + y << ") is "
                              << int(got[0]) << "," << int(got[1]) << "," << int(got[2])
                              << " but the buffer has " << int(want[0]) << "," << int(want[1])
                              << "," << int(want[2]);
        }
    EXPECT_EQ(bad, 0);
}

class EglRenderer : public ::testing::Test {
protected:
    void SetUp() override {
        if (!ctx_.ok())
            GTEST_SKIP() << ctx_.why();
    }
    std::unique_ptr<GlesRenderer> make(ScaleMode scale = ScaleMode::Fit) {
        RendererOptions o;
        o.scale = scale;
        o.linear = false;
        Result<std::unique_ptr<GlesRenderer>> r = GlesRenderer::create(ctx_.display(), o);
        EXPECT_TRUE(r) << (r ? "" : r.error().message);
        return r ? std::move(*r) : nullptr;
    }
    SurfacelessContext ctx_;
};

Frame frame(uint64_t seq, const TestBuffer& b, Region damage) {
    return Frame{seq, b.buffer, std::move(damage), 0};
}

} // namespace

TEST_F(EglRenderer, UploadsOnlyDamageAndEachTextureWhatItMissed) {
    auto r = make();
    ASSERT_TRUE(r);
    const uint32_t w = 64, h = 48;
    Target target(w, h);
    ASSERT_TRUE(target.complete());
    TestBuffer a = make_buffer(w, h, "XRGB8888"), b = make_buffer(w, h, "XRGB8888");
    const Rect all{0, 0, int32_t(w), int32_t(h)};

    // Frame 1: buffer A, everything new.
    a.paint(all, 1);
    SubmitStats s1;
    ASSERT_TRUE(r->update(frame(1, a, Region(all)), s1));
    EXPECT_EQ(s1.path, "upload");
    EXPECT_EQ(s1.imports, 1u);
    EXPECT_EQ(s1.bytes_copied, uint64_t(w) * h * 4);
    expect_shows(target.draw(*r), a);

    // Frame 2: a small change in A: exactly that rect is copied.
    const Rect r2{5, 6, 7, 8};
    a.paint(r2, 2);
    SubmitStats s2;
    ASSERT_TRUE(r->update(frame(2, a, Region(r2)), s2));
    EXPECT_EQ(s2.imports, 0u);
    EXPECT_EQ(s2.bytes_copied, uint64_t(r2.area()) * 4);
    expect_shows(target.draw(*r), a);

    // Frame 3: the source flips to B (a copy of the picture plus a change in r3).
    std::memcpy(b.map.data(), a.map.data(), a.map.size());
    const Rect r3{20, 10, 10, 10};
    b.paint(r3, 3);
    SubmitStats s3;
    ASSERT_TRUE(r->update(frame(3, b, Region(r3)), s3));
    EXPECT_EQ(s3.imports, 1u);
    EXPECT_EQ(s3.bytes_copied, uint64_t(w) * h * 4); // a new texture starts stale everywhere
    expect_shows(target.draw(*r), b);

    // Frame 4: B changes in r4.
    const Rect r4{40, 30, 6, 5};
    b.paint(r4, 4);
    SubmitStats s4;
    ASSERT_TRUE(r->update(frame(4, b, Region(r4)), s4));
    EXPECT_EQ(s4.bytes_copied, uint64_t(r4.area()) * 4);

    // Frame 5: back to A, which the source brought up to date (r3, r4) plus a new change r5.
    // The frame's damage is only r5 (relative to frame 4); A's texture also missed r3 and r4.
    a.paint(r3, 3);
    a.paint(r4, 4);
    const Rect r5{0, 40, 3, 3};
    a.paint(r5, 5);
    SubmitStats s5;
    ASSERT_TRUE(r->update(frame(5, a, Region(r5)), s5));
    Region missed;
    missed.add(r3);
    missed.add(r4);
    missed.add(r5);
    EXPECT_EQ(s5.imports, 0u);
    EXPECT_EQ(s5.bytes_copied, uint64_t(missed.area()) * 4);
    expect_shows(target.draw(*r), a);

    // Frame 6: nothing changed: nothing copied.
    SubmitStats s6;
    ASSERT_TRUE(r->update(frame(6, a, Region()), s6));
    EXPECT_EQ(s6.bytes_copied, 0u);

    r->retire(b.buffer->id());
    EXPECT_EQ(r->cached_textures(), 1u);
}

TEST_F(EglRenderer, FormatsAndBottomUpRowsDisplayRight) {
    for (const Format& f : all_formats()) {
        for (bool y0_top : {true, false}) {
            auto r = make();
            ASSERT_TRUE(r);
            Target target(40, 30);
            TestBuffer b = make_buffer(40, 30, std::string(f.name).c_str(), y0_top);
            b.paint({0, 0, 40, 30}, 9);
            SubmitStats s;
            ASSERT_TRUE(r->update(frame(1, b, Region(Rect{0, 0, 40, 30})), s)) << f.name;
            EXPECT_EQ(s.bytes_copied, uint64_t(40) * 30 * f.bytes_per_pixel) << f.name;
            SCOPED_TRACE(std::string(f.name) + (y0_top ? " top-down" : " bottom-up"));
            expect_shows(target.draw(*r), b);
        }
    }
}

TEST_F(EglRenderer, LetterboxesWithBlackBars) {
    auto r = make(ScaleMode::Fit);
    ASSERT_TRUE(r);
    Target target(128, 48); // 64x48 picture: 32 px bars left and right
    TestBuffer b = make_buffer(64, 48, "XBGR8888");
    b.paint({0, 0, 64, 48}, 4);
    SubmitStats s;
    ASSERT_TRUE(r->update(frame(1, b, Region(Rect{0, 0, 64, 48})), s));
    const RgbaImage img = target.draw(*r);
    EXPECT_EQ(r->viewport(128, 48), (Rect{32, 0, 64, 48}));
    expect_shows(img, b, 32, 0);
    for (uint32_t y = 0; y < 48; ++y)
        for (uint32_t x : {0u, 31u, 96u, 127u}) {
            const uint8_t* p = img.at(x, y);
            ASSERT_EQ(p[0] + p[1] + p[2], 0) << "bar pixel " << x << "," << y;
        }
    // Window damage of a later small update: inside the picture, mapped 1:1 (+1 px margin).
    b.paint({10, 10, 2, 2}, 5);
    r->clear_damage();
    ASSERT_TRUE(r->update(frame(2, b, Region(Rect{10, 10, 2, 2})), s));
    EXPECT_EQ(r->window_damage(128, 48), Region(Rect{41, 9, 4, 4}));
}

TEST_F(EglRenderer, RefusesFramesLargerThanTexturesOrLayoutLimits) {
    auto r = make();
    ASSERT_TRUE(r);
    // One pixel wider than the GPU's textures (or than the layout limit, whichever is less):
    // a clear error either way, never a GL error or a crash.
    const uint32_t too_wide = uint32_t(r->max_texture_size()) + 1;
    TestBuffer b = make_buffer(too_wide, 1, "RGB565");
    SubmitStats s;
    Status st = r->update(frame(1, b, Region(Rect{0, 0, int32_t(too_wide), 1})), s);
    ASSERT_FALSE(st);
    const std::string& m = st.error().message;
    EXPECT_TRUE(m.find("GL_MAX_TEXTURE_SIZE") != std::string::npos ||
                m.find("larger than") != std::string::npos)
        << m;
    EXPECT_EQ(r->cached_textures(), 0u);
}

// The guest pointer over a picture scaled 2x (nearest): every window pixel equals the headless
// dump's blend (draw_cursor: straight alpha, hot spot) of the source pixel under it, within 1
// per channel (GL's blend rounding); fully transparent cursor pixels leave the picture.
TEST_F(EglRenderer, CursorLayerBlendsLikeTheHeadlessDumpScaledWithThePicture) {
    auto r = make(ScaleMode::Fit);
    ASSERT_TRUE(r);
    const uint32_t sw = 32, sh = 24, ww = 64, wh = 48;
    Target target(ww, wh);
    ASSERT_TRUE(target.complete());
    TestBuffer b = make_buffer(sw, sh, "XRGB8888");
    b.paint({0, 0, int32_t(sw), int32_t(sh)}, 3);
    SubmitStats stats;
    ASSERT_TRUE(r->update(frame(1, b, Region(Rect{0, 0, int32_t(sw), int32_t(sh)})), stats));

    auto image = std::make_shared<CursorImage>();
    image->width = 5;
    image->height = 4;
    image->hot_x = 1;
    image->hot_y = 2;
    for (uint32_t i = 0; i < image->width * image->height; ++i) {
        const uint32_t alpha[4] = {0xff, 0x80, 0x00, 0x40};
        image->pixels.push_back(alpha[i % 4] << 24 | (i * 40 & 0xff) << 16 | 0x00a000 | i * 9);
    }
    const CursorState state{image, 10, 8, true};
    Result<std::unique_ptr<CursorLayer>> cursor = CursorLayer::create(false);
    ASSERT_TRUE(cursor) << cursor.error().message;
    (*cursor)->set(state);
    const Rect vp = r->viewport(ww, wh);
    EXPECT_EQ((*cursor)->rect(vp, sw, sh, ww, wh), (Rect{18, 12, 10, 8}));
    r->draw(ww, wh);
    (*cursor)->draw(vp, sw, sh, ww, wh);
    const RgbaImage got = r->read_pixels(ww, wh);

    RgbaImage want = to_rgba(b.layout(), b.map.data());
    draw_cursor(want, state);
    int bad = 0;
    for (uint32_t y = 0; y < wh; ++y)
        for (uint32_t x = 0; x < ww; ++x) {
            const uint8_t* g = got.at(x, y);
            const uint8_t* w = want.at(x / 2, y / 2);
            for (int c = 0; c < 3; ++c)
                if (std::abs(int(g[c]) - int(w[c])) > 1 && bad++ < 5)
                    ADD_FAILURE() << "window pixel (" << x << "," << y << ") channel " << c
                                  << " is " << int(g[c]) << ", want " << int(w[c]);
        }
    EXPECT_EQ(bad, 0);

    // Hidden: nothing to draw or redraw.
    (*cursor)->set(CursorState{image, 10, 8, false});
    EXPECT_EQ((*cursor)->rect(vp, sw, sh, ww, wh), Rect{});
}
