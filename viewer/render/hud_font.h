// SPDX-License-Identifier: MIT
// The HUD's built-in bitmap font and the CPU canvas it draws on: 5×7 glyphs in a 6×9 cell,
// just the characters the HUD prints (digits, lowercase letters, a little punctuation), so
// the overlay needs no font library and looks the same on every machine.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "udmaview/region.h"

namespace udmaview {

struct HudColor {
    uint8_t r = 0, g = 0, b = 0, a = 255;
    bool operator==(const HudColor&) const = default;
};

// An RGBA image, top row first, colours premultiplied by alpha (render/premultiply.h), that
// the HUD is drawn into before a renderer blends it over the picture.
class HudCanvas {
public:
    HudCanvas(uint32_t width, uint32_t height);
    uint32_t width() const { return width_; }
    uint32_t height() const { return height_; }
    const std::vector<uint8_t>& pixels() const { return pixels_; }
    // The stored (premultiplied) pixel.
    HudColor at(int32_t x, int32_t y) const;
    // Fills rect (clipped to the canvas) with color (straight alpha), replacing what was there.
    void fill(Rect rect, HudColor color);

private:
    uint32_t width_, height_;
    std::vector<uint8_t> pixels_;
};

namespace hud_font {

constexpr int glyph_width = 5, glyph_height = 7;
constexpr int advance = 6;     // glyph plus one column of space
constexpr int line_height = 9; // glyph plus two rows of space

// The rows of c, top first; bit 4 is the leftmost column. Uppercase letters use the
// lowercase glyphs; a character the font lacks is drawn as '?'.
const std::array<uint8_t, glyph_height>& glyph(char c);
// Draws text with its top left corner at (x, y), one glyph per character, setting only the
// glyphs' pixels. Returns the x after the last glyph.
int32_t draw_text(HudCanvas& canvas, int32_t x, int32_t y, std::string_view text, HudColor color);

} // namespace hud_font

} // namespace udmaview
