// SPDX-License-Identifier: MIT
#include <climits>
#include <cstring>
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <vector>

#include "outputs/headless/headless_output.h"
#include "qemu_test_layout.h"
#include "sources/qemu/pixman_format.h"
#include "sources/qemu/qemu_source.h"
#include "sources/qemu/surface.h"

using namespace udmaview;
using namespace udmaview::qemu;
using namespace udmaview::qemu::test;

namespace {} // namespace

TEST(QemuUpdate, RectInsideHandlesOverflowAndNegatives) {
    EXPECT_TRUE(rect_inside({0, 0, 640, 480}, 640, 480));
    EXPECT_TRUE(rect_inside({639, 479, 1, 1}, 640, 480));
    EXPECT_FALSE(rect_inside({639, 479, 2, 1}, 640, 480));
    EXPECT_FALSE(rect_inside({-1, 0, 2, 2}, 640, 480));
    EXPECT_FALSE(rect_inside({0, -5, 2, 2}, 640, 480));
    EXPECT_FALSE(rect_inside({INT_MAX - 4, 0, 16, 1}, 640, 480));
    EXPECT_FALSE(rect_inside({0, INT_MAX, 1, INT_MAX}, 640, 480));
    EXPECT_FALSE(rect_inside({0, 0, 0, 4}, 640, 480));
    EXPECT_FALSE(rect_inside({0, 0, 4, -4}, 640, 480));
}

TEST(QemuUpdate, ScanoutChecks) {
    EXPECT_TRUE(check_scanout(640, 480, 2560, xrgb, 2560 * 480));
    EXPECT_FALSE(check_scanout(640, 480, 2560, 0x12345678, 2560 * 480)); // unknown format
    EXPECT_FALSE(check_scanout(0, 480, 2560, xrgb, 2560 * 480));         // zero width
    EXPECT_FALSE(check_scanout(640, 0, 2560, xrgb, 0));                  // zero height
    EXPECT_FALSE(check_scanout(640, 480, 2556, xrgb, 2560 * 480));       // stride < w × 4
    EXPECT_FALSE(check_scanout(640, 480, 2560, xrgb, 2560 * 480 - 1));   // short data
    EXPECT_FALSE(check_scanout(100000, 100000, 400000, xrgb, 64));       // giant
    EXPECT_FALSE(check_scanout(16384, 16384, 65536, xrgb, 1ull << 31));  // > surface limit
    EXPECT_FALSE(check_scanout(1, 1, UINT32_MAX, xrgb, 64));             // stride × h > data
}

TEST(QemuUpdate, UpdateChecks) {
    const Layout l = xrgb_layout(720, 400);
    EXPECT_TRUE(check_update(l, {0, 128, 9, 16}, 36, xrgb, 36 * 16));
    EXPECT_TRUE(check_update(l, {711, 384, 9, 16}, 36, xrgb, 36 * 16));
    EXPECT_FALSE(check_update(l, {712, 384, 9, 16}, 36, xrgb, 36 * 16));   // outside
    EXPECT_FALSE(check_update(l, {-1, 0, 9, 16}, 36, xrgb, 36 * 16));      // negative
    EXPECT_FALSE(check_update(l, {0, 0, 0, 16}, 36, xrgb, 36 * 16));       // empty
    EXPECT_FALSE(check_update(l, {0, 0, 9, 16}, 32, xrgb, 36 * 16));       // stride < w × 4
    EXPECT_FALSE(check_update(l, {0, 0, 9, 16}, 36, xrgb, 36 * 16 - 1));   // short data
    EXPECT_FALSE(check_update(l, {0, 0, 9, 16}, 36, 0x12345678, 36 * 16)); // unknown format
    EXPECT_FALSE(check_update(l, {0, 0, 9, 16}, 27, pixman_code(24, 2, 0, 8, 8, 8), 27 * 16));
    EXPECT_FALSE(check_update(l, {INT_MAX - 2, 0, 9, 16}, 36, xrgb, 36 * 16)); // overflow
    EXPECT_FALSE(check_update(Layout{}, {0, 0, 1, 1}, 4, xrgb, 4));            // no surface
}

TEST(QemuUpdate, DmabufChecks) {
    const uint32_t xr24 = make_fourcc('X', 'R', '2', '4');
    Result<Layout> ok = check_dmabuf(1024, 768, 4096, xr24, 0, false, 4096 * 768);
    ASSERT_TRUE(ok);
    EXPECT_FALSE(ok->y0_top);
    EXPECT_EQ(ok->stride, 4096u);
    EXPECT_FALSE(check_dmabuf(1024, 768, 4096, xr24, 0, true, 4096 * 767));    // too small
    EXPECT_FALSE(check_dmabuf(1024, 768, 4000, xr24, 0, true, 4096 * 768));    // stride < w × 4
    EXPECT_FALSE(check_dmabuf(1024, 768, 4096, 0x11111111, 0, true, 1 << 22)); // fourcc
    EXPECT_FALSE(check_dmabuf(0, 768, 4096, xr24, 0, true, 1 << 22));          // zero
    EXPECT_FALSE(check_dmabuf(20000, 768, 80000, xr24, 0, true, 1ull << 40));  // giant
}

TEST(QemuUpdate, SurfaceCopiesOnlyTheRectangleAndCountsIt) {
    Result<std::unique_ptr<Surface>> made =
        Surface::create(64, 48, format_from_pixman(xrgb), nullptr);
    ASSERT_TRUE(made) << made.error().message;
    Surface& s = **made;
    const Layout& l = s.layout();
    EXPECT_GE(l.stride, 64u * 4);
    EXPECT_EQ(s.buffer()->backing().size(), 1u);
    std::vector<uint8_t> src(10 * 20, 0xab); // 5 × 3 pixels, stride 20 (> 5 × 4)
    EXPECT_EQ(s.copy_rect({7, 9, 5, 3}, src.data(), 20), 5u * 4 * 3);
    Result<Mapping> map = s.buffer()->map(PROT_READ);
    ASSERT_TRUE(map);
    for (uint32_t y = 0; y < l.height; ++y)
        for (uint32_t x = 0; x < l.width; ++x) {
            const bool inside = x >= 7 && x < 12 && y >= 9 && y < 12;
            const uint8_t* p = map->data() + y * l.stride + x * 4;
            EXPECT_EQ(p[0], inside ? 0xab : 0) << x << "," << y;
        }
    // A rectangle outside is never written, whatever the caller did.
    EXPECT_EQ(s.copy_rect({60, 0, 8, 1}, src.data(), 32), 0u);
    EXPECT_EQ(s.copy_rect({-1, 0, 2, 1}, src.data(), 8), 0u);
}

TEST(QemuCursor, HeadlessDumpBlendsTheCursorAtItsHotSpot) {
    RgbaImage image;
    image.width = 8;
    image.height = 8;
    image.pixels.assign(8 * 8 * 4, 0); // black
    auto shape = std::make_shared<CursorImage>();
    shape->width = 2;
    shape->height = 2;
    shape->hot_x = 1;
    shape->hot_y = 1;
    shape->pixels = {0xffffffffu, 0x00ffffffu, 0x80ff0000u,
                     0xff00ff00u}; // white, clear, ½ red, green
    CursorState cursor{shape, 0, 0, true};
    draw_cursor(image, cursor);        // hot spot at (0, 0): only the lower-right pixel is inside
    EXPECT_EQ(image.at(0, 0)[1], 255); // green
    EXPECT_EQ(image.at(0, 0)[0], 0);
    cursor.x = 4;
    cursor.y = 4;
    draw_cursor(image, cursor);
    EXPECT_EQ(image.at(3, 3)[0], 255); // white
    EXPECT_EQ(image.at(4, 3)[0], 0);   // fully transparent: unchanged
    EXPECT_EQ(image.at(3, 4)[0], 128); // half red over black
    cursor.visible = false;
    cursor.x = 6;
    draw_cursor(image, cursor);
    EXPECT_EQ(image.at(6, 4)[1], 0); // invisible: nothing drawn
}
