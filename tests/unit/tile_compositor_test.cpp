// SPDX-License-Identifier: MIT
// TileCompositor on a real GLES context (Mesa's surfaceless EGL, llvmpipe; skipped where there
// is none): a frame of one source damages its own tile only, in window pixels; ending a source
// damages its tile; moving the focus redraws everything; each tile shows its own buffer.
#include <EGL/egl.h>
#include <EGL/eglext.h>
#include <GLES3/gl3.h>
#include <cstring>
#include <gtest/gtest.h>
#include <string_view>
#include <sys/mman.h>

#include "render/gles_renderer.h"
#include "render/tile_compositor.h"
#include "surfaceless_gles.h"
#include "udmaview/memfd.h"

using namespace udmaview;

namespace {

using test::SurfacelessContext;
using test::Target;

// A w × h XRGB8888 buffer filled with one colour.
struct Solid {
    Memfd memfd;
    Mapping map;
    std::shared_ptr<const Buffer> buffer;
};

Solid solid(uint32_t w, uint32_t h, uint32_t xrgb) {
    const Format* f = *parse_format("XRGB8888");
    const uint64_t size = align_up(uint64_t(w) * 4 * h, page_size());
    Memfd m = std::move(Memfd::create("tile-compositor-test", size)).value();
    Mapping map = std::move(m.map(PROT_READ | PROT_WRITE)).value();
    for (uint64_t i = 0; i < uint64_t(w) * h; ++i)
        std::memcpy(map.data() + i * 4, &xrgb, 4);
    auto fd = std::make_shared<const UniqueFd>(std::move(m.dup_fd()).value());
    Layout l{w, h, w * 4, 0, f};
    auto buf = std::make_shared<const Buffer>(l, std::vector<Backing>{{fd, 0, size}}, std::nullopt,
                                              "test");
    return {std::move(m), std::move(map), buf};
}

Frame frame_of(const Solid& s, uint32_t source, uint64_t seq, Region damage) {
    Frame f;
    f.seq = seq;
    f.buffer = s.buffer;
    f.damage = std::move(damage);
    f.source = source;
    return f;
}

} // namespace

TEST(TileCompositor, DamageStaysInItsTileAndEachTileShowsItsSource) {
    constexpr uint32_t W = 648, H = 244; // two 320x240 tiles, 1:1 inside their 2-pixel frames
    SurfacelessContext gl;
    if (!gl.ok())
        GTEST_SKIP() << gl.why();
    Target target(W, H);
    ASSERT_TRUE(target.complete());
    Result<std::unique_ptr<GlesRenderer>> r =
        GlesRenderer::create(EGL_NO_DISPLAY, RendererOptions{ScaleMode::Integer, false, false});
    ASSERT_TRUE(r) << r.error().message;
    GlesRenderer& renderer = **r;
    TileCompositor tiles(2, ScaleMode::Integer);
    const Solid red = solid(320, 240, 0x00ff0000), blue = solid(320, 240, 0x000000ff);
    SubmitStats stats;
    for (const Frame& f : {frame_of(red, 0, 1, Region(Rect{0, 0, 320, 240})),
                           frame_of(blue, 1, 2, Region(Rect{0, 0, 320, 240}))}) {
        ASSERT_TRUE(renderer.update(f, stats));
        tiles.frame_shown(f);
    }
    EXPECT_EQ(tiles.window_damage(renderer, W, H), Region(Rect{0, 0, W, H})); // first draw
    tiles.draw(renderer, W, H);
    tiles.clear_damage();
    const RgbaImage img = renderer.read_pixels(W, H);
    auto at = [&](uint32_t x, uint32_t y) {
        const uint8_t* p = &img.pixels[(size_t(y) * W + x) * 4];
        return uint32_t(p[0]) << 16 | uint32_t(p[1]) << 8 | p[2];
    };
    EXPECT_EQ(at(2, 2), 0xff0000u);     // tile 1's picture: red
    EXPECT_EQ(at(321, 241), 0xff0000u); // its last pixel
    EXPECT_EQ(at(326, 2), 0x0000ffu);   // tile 2's picture: blue
    EXPECT_EQ(at(324, 120), 0u);        // tile 2's frame: not focused, black
    EXPECT_EQ(at(0, 120), 0xffbf00u);   // tile 1's frame: focused, amber

    // A frame of source 2 damages 20x20 at (10, 10) of its picture: window (336, 12), grown
    // by the one pixel source_to_window() adds for the filter's reach, and nothing else.
    const Frame change = frame_of(blue, 1, 3, Region(Rect{10, 10, 20, 20}));
    ASSERT_TRUE(renderer.update(change, stats));
    tiles.frame_shown(change);
    const Region got = tiles.window_damage(renderer, W, H);
    EXPECT_EQ(got, Region(Rect{335, 11, 22, 22})) << got.bounds().to_string();
    tiles.clear_damage();

    tiles.set_ended(0); // its whole tile is redrawn ("ended"), nothing else
    EXPECT_EQ(tiles.window_damage(renderer, W, H), Region(Rect{0, 0, 324, 244}));
    tiles.clear_damage();

    tiles.move_focus(1);
    EXPECT_EQ(tiles.focus(), 1u);
    EXPECT_EQ(tiles.window_damage(renderer, W, H), Region(Rect{0, 0, W, H}));
    tiles.move_focus(1); // wraps
    EXPECT_EQ(tiles.focus(), 0u);
}
