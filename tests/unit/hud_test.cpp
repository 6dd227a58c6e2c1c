// SPDX-License-Identifier: MIT
#include <gtest/gtest.h>

#include "render/hud.h"
#include "render/hud_font.h"

using namespace udmaview;

namespace {

constexpr HudColor white{255, 255, 255, 255};
constexpr HudColor clear{0, 0, 0, 0};

// The canvas as '#' (white) and '.' rows, for comparing with drawn-out glyphs.
std::vector<std::string> ascii(const HudCanvas& c, Rect r) {
    std::vector<std::string> rows;
    for (int32_t y = r.y; y < r.bottom(); ++y) {
        std::string row;
        for (int32_t x = r.x; x < r.right(); ++x)
            row += c.at(x, y) == white ? '#' : '.';
        rows.push_back(row);
    }
    return rows;
}

} // namespace

TEST(HudFont, DigitZeroHasItsKnownPixels) {
    HudCanvas c(8, 9);
    EXPECT_EQ(hud_font::draw_text(c, 1, 1, "0", white), 1 + hud_font::advance);
    const std::vector<std::string> want = {
        "........", "..###...", ".#...#..", ".#..##..", ".#.#.#..",
        ".##..#..", ".#...#..", "..###...", "........",
    };
    EXPECT_EQ(ascii(c, Rect{0, 0, 8, 9}), want);
}

TEST(HudFont, TextAdvancesOneCellPerCharacter) {
    HudCanvas c(24, 7);
    EXPECT_EQ(hud_font::draw_text(c, 0, 0, "fps", white), 3 * hud_font::advance);
    // 'p' starts at x = 6 with a full-width bowl on its third row.
    EXPECT_EQ(ascii(c, Rect{6, 2, 5, 1}), std::vector<std::string>{"####."});
    // The column between glyphs stays empty.
    for (int32_t y = 0; y < 7; ++y)
        EXPECT_EQ(c.at(5, y), clear) << "y " << y;
}

TEST(HudFont, UppercaseUsesLowercaseAndUnknownIsQuestionMark) {
    EXPECT_EQ(hud_font::glyph('A'), hud_font::glyph('a'));
    EXPECT_EQ(hud_font::glyph('~'), hud_font::glyph('?'));
    EXPECT_NE(hud_font::glyph('a'), hud_font::glyph('?'));
    EXPECT_EQ(hud_font::glyph(' '), (std::array<uint8_t, hud_font::glyph_height>{}));
}

TEST(HudFont, DrawingIsClippedToTheCanvas) {
    HudCanvas c(4, 4);
    hud_font::draw_text(c, -2, -3, "88", white);
    EXPECT_EQ(c.at(0, 0), white);             // row 3 of '8' is .###.: its column 2 lands on x = 0
    EXPECT_EQ(c.at(3, 0), clear);             // the second '8' starts at x = 4, outside
    hud_font::draw_text(c, 3, 3, "8", white); // all but one pixel outside: no write beyond
    EXPECT_EQ(c.pixels().size(), 4u * 4 * 4);
}

TEST(Hud, LinesShowTheRecordedFrames) {
    Hud hud;
    EXPECT_EQ(hud.lines().size(), 1u); // waiting for frames
    for (uint64_t i = 0; i <= 60; ++i) {
        const uint64_t presented = 1'000'000'000 + i * 16'666'667;
        // Every frame 2 ms, except one of 30 ms: p99 of 61 samples is that one.
        const uint64_t latency = i == 30 ? 30'000'000 : 2'000'000;
        hud.record(presented - latency, presented, 4096, i == 0 ? 1 : 0, "gl-upload");
    }
    const std::vector<std::string> lines = hud.lines();
    ASSERT_EQ(lines.size(), 4u);
    EXPECT_EQ(lines[0], "fps 60.0");
    EXPECT_EQ(lines[1], "produced->presented last 2.00 ms  p99 30.00 ms");
    EXPECT_EQ(lines[2], "copied 4096 bytes/frame  imports 0.02/frame");
    EXPECT_EQ(lines[3], "path gl-upload");
}

TEST(Hud, RefreshIsRateLimitedAndOnlyAfterNewSamples) {
    Hud hud;
    EXPECT_TRUE(hud.refresh(1'000'000'000));  // first image
    EXPECT_FALSE(hud.refresh(2'000'000'000)); // nothing new
    hud.record(1'900'000'000, 2'000'000'000, 0, 0, "import");
    EXPECT_FALSE(hud.refresh(1'100'000'000)); // too soon after the last refresh
    EXPECT_TRUE(hud.refresh(2'000'000'000));
    // The background is translucent and the text is drawn on it.
    EXPECT_EQ(hud.image().at(0, 0).a, 176);
    bool has_text = false;
    for (int32_t x = 0; x < 60; ++x)
        for (int32_t y = 0; y < 12; ++y)
            has_text = has_text || hud.image().at(x, y) == white;
    EXPECT_TRUE(has_text);
}
