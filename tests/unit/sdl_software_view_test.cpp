// SPDX-License-Identifier: MIT
// The software path of the sdl output without a window: damage → window rects, the per-pixel
// writer (nearest sampling, bottom-up rows, format conversion, the row-copy fast path) and
// SoftwareView's full and damage-only draws on a real memfd buffer.
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "outputs/sdl/software_view.h"
#include "render/viewport.h"

namespace udmaview {
namespace {

const Format& format(const char* name) {
    Result<const Format*> f = parse_format(name);
    EXPECT_TRUE(f);
    return **f;
}

// A window-sized target of XRGB8888 pixels (a 24-bit X11 window surface), rows padded so a
// writer that ignores the pitch shows.
struct Target {
    Target(uint32_t w, uint32_t h)
        : bytes(size_t(w * 4 + 8) * h, 0xEE) {
        t.pixels = bytes.data();
        t.pitch = w * 4 + 8;
        t.width = w;
        t.height = h;
        t.format = format("XRGB8888");
    }
    std::array<uint8_t, 3> rgb(uint32_t x, uint32_t y) const {
        const uint8_t* p = &bytes[size_t(y) * t.pitch + size_t(x) * 4];
        return {p[2], p[1], p[0]};
    }
    std::vector<uint8_t> bytes;
    PixelTarget t;
};

// Every window pixel whose centre samples a source pixel in damage (the GL path's nearest
// filter), computed in floating point as a shader would.
Region sampled_pixels(const Region& damage, const Rect& vp, uint32_t sw, uint32_t sh, uint32_t ww,
                      uint32_t wh) {
    Region out;
    for (uint32_t y = 0; y < wh; ++y)
        for (uint32_t x = 0; x < ww; ++x) {
            const SourcePoint p = window_to_source(vp, sw, sh, x + 0.5, y + 0.5);
            if (p.inside && damage.contains_point(p.x, p.y))
                out.add(Rect{int32_t(x), int32_t(y), 1, 1});
        }
    return out;
}

TEST(SdlSoftwareView, DamageToWindowAtOneToOneIsTheRectMoved) {
    Layout l{320, 240, 1280, 0, &format("XRGB8888")};
    const Rect vp = compute_viewport(320, 240, 400, 300, ScaleMode::None);
    ASSERT_EQ(vp, (Rect{40, 30, 320, 240}));
    EXPECT_EQ(damage_to_window(Region(Rect{10, 20, 30, 40}), l, vp, 400, 300),
              Region(Rect{50, 50, 30, 40}));
    // No filter margin: a one-pixel change is one window pixel.
    EXPECT_EQ(damage_to_window(Region(Rect{0, 0, 1, 1}), l, vp, 400, 300).area(), 1);
}

TEST(SdlSoftwareView, DamageToWindowScalesFlipsAndClips) {
    Layout l{160, 120, 640, 0, &format("XRGB8888")};
    const Rect vp = compute_viewport(160, 120, 500, 400, ScaleMode::Integer); // 3x
    ASSERT_EQ(vp, (Rect{10, 20, 480, 360}));
    const Region damage(Rect{10, 5, 4, 2});
    EXPECT_EQ(damage_to_window(damage, l, vp, 500, 400), Region(Rect{40, 35, 12, 6}));
    l.y0_top = false; // buffer rows 5..6 are shown as rows 113..114
    EXPECT_EQ(damage_to_window(damage, l, vp, 500, 400), Region(Rect{40, 359, 12, 6}));
    // Cropped (none, a picture larger than the window): clipped to the window.
    l.y0_top = true;
    const Rect crop = compute_viewport(160, 120, 100, 100, ScaleMode::None);
    EXPECT_EQ(damage_to_window(Region(Rect{0, 0, 160, 120}), l, crop, 100, 100),
              Region(Rect{0, 0, 100, 100}));
}

TEST(SdlSoftwareView, DamageToWindowCoversEverySampledPixelAtFractionalScales) {
    // fit at 2.5x and at 0.6x: every pixel that samples a damaged source pixel is pushed, and
    // the rects reach at most one pixel beyond those (outward rounding).
    Layout l{160, 120, 640, 0, &format("XRGB8888")};
    for (auto [ww, wh] : {std::pair{400u, 300u}, std::pair{96u, 72u}, std::pair{333u, 250u}}) {
        const Rect vp = compute_viewport(160, 120, ww, wh, ScaleMode::Fit);
        const Region damage = Region::from_rects(std::vector<Rect>{{7, 3, 5, 9}, {100, 80, 1, 1}});
        const Region got = damage_to_window(damage, l, vp, ww, wh);
        const Region want = sampled_pixels(damage, vp, 160, 120, ww, wh);
        EXPECT_TRUE(got.subtracted(want).area() <= got.area() - want.area()) << ww;
        EXPECT_TRUE(want.subtracted(got).empty())
            << ww << "x" << wh << ": " << got.to_string() << " misses part of " << want.to_string();
        const Rect b = want.bounds(), g = got.bounds();
        EXPECT_LE(b.x - g.x, 1);
        EXPECT_LE(g.right() - b.right(), 1);
    }
}

// RGB565 expands by bit replication: r5 → r5 << 3 | r5 >> 2, g6 → g6 << 2 | g6 >> 4.
TEST(SdlSoftwareView, WriterScalesBottomUpRgb565Into2xSurface) {
    // 3x2 source, rows stored bottom-up: memory row 0 is the picture's bottom row.
    const uint16_t bottom[3] = {0xF800, 0x07E0, 0x001F}; // red, green, blue
    const uint16_t top[3] = {0x8410, 0xFFFF, 0x0821};    // (132,130,132) white (8,4,8)
    std::vector<uint8_t> buffer(16 + 2 * 8, 0);          // offset 16, stride 8 (2 bytes pad)
    std::memcpy(&buffer[16], bottom, 6);
    std::memcpy(&buffer[16 + 8], top, 6);
    Layout l{3, 2, 8, 16, &format("RGB565")};
    l.y0_top = false;
    Target t(6, 4);
    const Rect vp = compute_viewport(3, 2, 6, 4, ScaleMode::Integer);
    ASSERT_EQ(vp, (Rect{0, 0, 6, 4}));
    EXPECT_FALSE(write_rect(buffer.data(), l, vp, t.t, Rect{0, 0, 6, 4}));
    using RGB = std::array<uint8_t, 3>;
    const RGB top_rgb[3] = {{132, 130, 132}, {255, 255, 255}, {8, 4, 8}};
    const RGB bottom_rgb[3] = {{255, 0, 0}, {0, 255, 0}, {0, 0, 255}};
    for (uint32_t y = 0; y < 4; ++y)
        for (uint32_t x = 0; x < 6; ++x)
            EXPECT_EQ(t.rgb(x, y), (y < 2 ? top_rgb : bottom_rgb)[x / 2]) << x << "," << y;
    // The row padding of the target is untouched.
    for (uint32_t y = 0; y < 4; ++y)
        EXPECT_EQ(t.bytes[size_t(y) * t.t.pitch + 24], 0xEE);
}

TEST(SdlSoftwareView, WriterSamplesWhatTheGlPathsNearestFilterSamples) {
    // Every source pixel a different colour (x in red, memory row in green); up and down at
    // fractional scales, both row orders: each window pixel shows the source pixel under its
    // centre (window_to_source, the pointer mapping, is the GL fragment's formula).
    Layout l{40, 30, 40 * 4, 0, &format("XBGR8888")};
    std::vector<uint8_t> buffer(size_t(l.stride) * l.height);
    for (uint32_t y = 0; y < l.height; ++y)
        for (uint32_t x = 0; x < l.width; ++x) {
            uint8_t* p = &buffer[size_t(y) * l.stride + x * 4];
            p[0] = uint8_t(x * 5), p[1] = uint8_t(y * 7), p[2] = 99, p[3] = 0;
        }
    for (bool top : {true, false})
        for (auto [ww, wh] : {std::pair{100u, 75u}, std::pair{24u, 18u}, std::pair{77u, 61u}}) {
            l.y0_top = top;
            Target t(ww, wh);
            const Rect vp = compute_viewport(40, 30, ww, wh, ScaleMode::Fit);
            write_rect(buffer.data(), l, vp, t.t, Rect{0, 0, int32_t(ww), int32_t(wh)});
            for (int32_t y = vp.y; y < vp.bottom(); ++y)
                for (int32_t x = vp.x; x < vp.right(); ++x) {
                    // Bottom-up, GL's texture coordinate runs up from the viewport's
                    // bottom edge: the same formula on the mirrored window row gives the
                    // memory row (at an exact tie it is not the mirror of the top-down one).
                    const double wy = top ? y + 0.5 : 2.0 * vp.y + vp.h - (y + 0.5);
                    const SourcePoint p = window_to_source(vp, 40, 30, x + 0.5, wy);
                    const uint32_t row = uint32_t(p.y);
                    ASSERT_EQ(t.rgb(uint32_t(x), uint32_t(y)),
                              (std::array<uint8_t, 3>{uint8_t(p.x * 5), uint8_t(row * 7), 99}))
                        << ww << "x" << wh << " at " << x << "," << y << " top " << top;
                }
        }
}

TEST(SdlSoftwareView, WriterConvertsEveryFormatIntoEveryKindOfSurface) {
    // Whatever way a pixel takes (row copy, byte moves, unpack and pack), the surface shows the
    // colour from_rgba8(to_rgba8(source)) shows, and a surface alpha channel is opaque.
    for (const Format& sf : all_formats())
        for (const char* target : {"XRGB8888", "ARGB8888", "BGR888", "RGB565", "RGBX8888"}) {
            const Format& df = format(target);
            Layout l{5, 3, 5 * sf.bytes_per_pixel + 3, 0, &sf};
            std::vector<uint8_t> buffer(size_t(l.stride) * l.height);
            for (size_t i = 0; i < buffer.size(); ++i)
                buffer[i] = uint8_t(i * 37 + 11);
            std::vector<uint8_t> out(size_t(5 * df.bytes_per_pixel) * 3, 0xEE);
            const PixelTarget t{out.data(), 5 * df.bytes_per_pixel, 5, 3, df};
            const Rect vp{0, 0, 5, 3};
            write_rect(buffer.data(), l, vp, t, vp);
            for (uint32_t y = 0; y < 3; ++y)
                for (uint32_t x = 0; x < 5; ++x) {
                    uint8_t rgba[4], packed[4] = {}, want[4], got[4];
                    sf.to_rgba8(&buffer[y * l.stride + x * sf.bytes_per_pixel], rgba);
                    rgba[3] = 255;
                    df.from_rgba8(rgba, packed);
                    df.to_rgba8(packed, want);
                    df.to_rgba8(&out[(y * 5 + x) * df.bytes_per_pixel], got);
                    EXPECT_EQ(std::memcmp(got, want, 4), 0)
                        << sf.name << " -> " << target << " at " << x << "," << y;
                }
        }
}

TEST(SdlSoftwareView, WriterTouchesOnlyTheRectAndCopiesRowsAtOneToOne) {
    Layout l{4, 3, 16, 0, &format("XRGB8888")};
    std::vector<uint8_t> buffer(48);
    for (size_t i = 0; i < buffer.size(); ++i)
        buffer[i] = uint8_t(i + 1);
    Target t(8, 5);
    const Rect vp = compute_viewport(4, 3, 8, 5, ScaleMode::None); // at (2, 1)
    ASSERT_EQ(vp, (Rect{2, 1, 4, 3}));
    EXPECT_TRUE(write_rect(buffer.data(), l, vp, t.t, Rect{3, 2, 2, 1}));
    for (uint32_t y = 0; y < 5; ++y)
        for (uint32_t x = 0; x < 8; ++x) {
            const uint8_t* p = &t.bytes[size_t(y) * t.t.pitch + size_t(x) * 4];
            if (y == 2 && (x == 3 || x == 4))
                EXPECT_EQ(std::memcmp(p, &buffer[16 + (x - 2) * 4], 4), 0) << x;
            else
                EXPECT_EQ(p[0], 0xEE) << x << "," << y;
        }
    // A rect outside the picture writes nothing.
    EXPECT_FALSE(write_rect(buffer.data(), l, vp, t.t, Rect{0, 0, 2, 5}));
    EXPECT_EQ(t.bytes[0], 0xEE);
}

TEST(SdlSoftwareView, ViewDrawsWholeWindowFirstThenOnlyDamage) {
    Layout l{4, 2, 16, 0, &format("BGR888")};
    l.stride = 12;
    Result<OwnedBuffer> owned = OwnedBuffer::create("software-view-test", l, nullptr, "test");
    ASSERT_TRUE(owned) << owned.error().message;
    std::memset(owned->pixels.data(), 0x40, 24);
    SoftwareView view(ScaleMode::Integer);
    Frame f;
    f.seq = 1;
    f.buffer = owned->buffer;
    f.damage = Region(l.bounds());
    SubmitStats stats;
    ASSERT_TRUE(view.update(f, stats));
    EXPECT_EQ(stats.path, "software");
    EXPECT_EQ(stats.imports, 1u);
    EXPECT_EQ(stats.bytes_copied, 24u); // the whole picture: the view is new
    Target t(10, 6);                    // 2x at (1, 1)
    SoftwareView::Drawn d = view.draw(t.t);
    EXPECT_TRUE(d.full);
    EXPECT_EQ(d.rects, Region(Rect{0, 0, 10, 6}));
    EXPECT_EQ(t.rgb(0, 0), (std::array<uint8_t, 3>{0, 0, 0})); // border
    EXPECT_EQ(t.rgb(1, 1), (std::array<uint8_t, 3>{0x40, 0x40, 0x40}));

    // One source pixel changes: four window pixels, 3 bytes read, same mapping.
    const uint8_t bgr[3] = {0x10, 0x20, 0x30}; // BGR888 (DRM order): R in the first byte
    std::memcpy(owned->pixels.data() + 12 + 3 * 3, bgr, 3);
    f.seq = 2;
    f.damage = Region(Rect{3, 1, 1, 1});
    stats = SubmitStats();
    ASSERT_TRUE(view.update(f, stats));
    EXPECT_EQ(stats.imports, 0u);
    EXPECT_EQ(stats.bytes_copied, 3u);
    d = view.draw(t.t);
    EXPECT_FALSE(d.full);
    EXPECT_EQ(d.rects, Region(Rect{7, 3, 2, 2}));
    for (auto [x, y] : {std::pair{7u, 3u}, {8u, 3u}, {7u, 4u}, {8u, 4u}})
        EXPECT_EQ(t.rgb(x, y), (std::array<uint8_t, 3>{0x10, 0x20, 0x30}));
    EXPECT_EQ(t.rgb(6, 3), (std::array<uint8_t, 3>{0x40, 0x40, 0x40}));
    // Nothing new: nothing drawn; a new window size: everything again.
    EXPECT_TRUE(view.draw(t.t).rects.empty());
    Target bigger(12, 6);
    EXPECT_TRUE(view.draw(bigger.t).full);
}

} // namespace
} // namespace udmaview
