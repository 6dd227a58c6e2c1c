// SPDX-License-Identifier: MIT
#include <GLES3/gl3.h>
#include <gtest/gtest.h>

#include "render/gl_format.h"

using namespace udmaview;

namespace {

// What the texel of one pixel holds after the upload stores the buffer's bytes as they are.
std::array<uint8_t, 4> texel_of(const GlTextureFormat& g, const uint8_t* p) {
    if (g.type == GL_UNSIGNED_SHORT_5_6_5) {
        const unsigned w = unsigned(p[0]) | unsigned(p[1]) << 8;
        const unsigned r = w >> 11, gg = (w >> 5) & 63, b = w & 31;
        return {uint8_t(r << 3 | r >> 2), uint8_t(gg << 2 | gg >> 4), uint8_t(b << 3 | b >> 2),
                255};
    }
    if (g.format == GL_RGB)
        return {p[0], p[1], p[2], 255};
    return {p[0], p[1], p[2], p[3]};
}

} // namespace

TEST(EglUpload, EveryTableFormatUploadsAndSwizzlesBack) {
    const uint8_t colours[][4] = {{255, 0, 0, 255},   {0, 255, 0, 255}, {0, 0, 255, 255},
                                  {12, 200, 99, 255}, {1, 2, 3, 4},     {250, 128, 7, 0}};
    for (const Format& f : all_formats()) {
        std::optional<GlTextureFormat> g = gl_upload_format(f);
        ASSERT_TRUE(g) << f.name;
        EXPECT_EQ(g->bytes_per_pixel, f.bytes_per_pixel) << f.name;
        for (const auto& c : colours) {
            uint8_t px[4] = {};
            f.from_rgba8(c, px);
            uint8_t expected[4];
            f.to_rgba8(px, expected); // what the format can hold (565 loses low bits)
            const std::array<uint8_t, 3> shown = apply_swizzle(*g, texel_of(*g, px));
            EXPECT_EQ(shown[0], expected[0]) << f.name;
            EXPECT_EQ(shown[1], expected[1]) << f.name;
            EXPECT_EQ(shown[2], expected[2]) << f.name;
        }
    }
}

TEST(EglUpload, GlFormatsPerBytesPerPixel) {
    const GlTextureFormat xr = *gl_upload_format(*parse_format("XRGB8888").value());
    EXPECT_EQ(xr.internal_format, unsigned(GL_RGBA8));
    EXPECT_EQ(xr.type, unsigned(GL_UNSIGNED_BYTE));
    // XRGB8888 is B, G, R, X in memory: red comes from texture channel 2.
    EXPECT_EQ(apply_swizzle(xr, {10, 20, 30, 0}), (std::array<uint8_t, 3>{30, 20, 10}));
    const GlTextureFormat xb = *gl_upload_format(*parse_format("XBGR8888").value());
    EXPECT_EQ(apply_swizzle(xb, {10, 20, 30, 0}), (std::array<uint8_t, 3>{10, 20, 30}));
    const GlTextureFormat rg16 = *gl_upload_format(*parse_format("RGB565").value());
    EXPECT_EQ(rg16.internal_format, unsigned(GL_RGB565));
    EXPECT_EQ(rg16.type, unsigned(GL_UNSIGNED_SHORT_5_6_5));
    const GlTextureFormat rg24 = *gl_upload_format(*parse_format("RGB888").value());
    EXPECT_EQ(rg24.format, unsigned(GL_RGB));
    // Alpha is never shown: the bias makes the preview opaque.
    EXPECT_EQ(xr.bias[3], 1.0f);
    EXPECT_EQ(gl_import_format(*parse_format("ARGB8888").value()).bias[3], 1.0f);
}

TEST(EglUpload, PlanCopiesExactlyTheDamagedPixels) {
    const Format* f = parse_format("XRGB8888").value();
    Layout l{640, 480, 640 * 4 + 256, 4096, f};
    Region damage;
    damage.add(Rect{10, 20, 30, 40});
    damage.add(Rect{100, 100, 5, 5});
    damage.add(Rect{630, 470, 50, 50}); // clipped to 10x10
    const UploadPlan plan = plan_upload(l, damage, true);
    EXPECT_EQ(plan.bytes, uint64_t(30 * 40 + 5 * 5 + 10 * 10) * 4);
    uint64_t summed = 0;
    for (const UploadOp& op : plan.ops) {
        EXPECT_EQ(op.row_length, l.stride / 4);
        EXPECT_EQ(op.byte_offset,
                  l.offset + uint64_t(op.rect.y) * l.stride + uint64_t(op.rect.x) * 4);
        EXPECT_TRUE(l.bounds().contains(op.rect));
        summed += uint64_t(op.rect.area()) * 4;
    }
    EXPECT_EQ(summed, plan.bytes);
}

TEST(EglUpload, PlanEmptyDamageCopiesNothing) {
    const Format* f = parse_format("RGB565").value();
    Layout l{64, 64, 128, 0, f};
    const UploadPlan plan = plan_upload(l, Region(), true);
    EXPECT_TRUE(plan.ops.empty());
    EXPECT_EQ(plan.bytes, 0u);
}

TEST(EglUpload, PlanFallsBackToRowsWithoutRowLength) {
    const Format* f = parse_format("RGB888").value();
    // 100 pixels × 3 bytes padded to 320: not a whole number of pixels per row.
    Layout l{100, 10, 320, 0, f};
    const UploadPlan odd = plan_upload(l, Region(Rect{1, 2, 3, 4}), true);
    ASSERT_EQ(odd.ops.size(), 1u);
    EXPECT_EQ(odd.ops[0].row_length, 0u);
    EXPECT_EQ(odd.bytes, 3u * 4 * 3);
    // A GLES 2 context without GL_EXT_unpack_subimage: rows too.
    Layout even{100, 10, 300, 0, f};
    EXPECT_EQ(plan_upload(even, Region(Rect{0, 0, 100, 10}), false).ops[0].row_length, 0u);
    EXPECT_EQ(plan_upload(even, Region(Rect{0, 0, 100, 10}), true).ops[0].row_length, 100u);
}
