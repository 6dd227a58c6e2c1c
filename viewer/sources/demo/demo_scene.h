// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "udmaview/error.h"
#include "udmaview/format.h"
#include "udmaview/region.h"

namespace udmaview {

// The demo's picture as a pure function of the frame number: tests predict every pixel of
// frame n without running the producer, and the producer redraws only what changed.
class DemoScene {
public:
    enum Pattern : unsigned {
        Rects = 1,   // moving rectangles
        Console = 2, // a text-console-like band that scrolls one line every few frames
        Flip = 4,    // every flip_period frames the whole screen changes and the buffer flips
        All = 7,
    };
    static Result<unsigned> parse_patterns(std::string_view text); // "rects,console" or "all"

    DemoScene(uint32_t width, uint32_t height, unsigned patterns, uint64_t seed);

    static constexpr uint32_t flip_period = 30;
    static constexpr uint32_t scroll_period = 4;
    static constexpr uint32_t glyph_w = 8, glyph_h = 16;

    // The colour of (x, y) in frame n >= 1.
    void pixel(uint64_t n, int32_t x, int32_t y, uint8_t rgba[4]) const;
    // What differs between frame n - 1 and frame n (frame 1: everything).
    Region damage(uint64_t n) const;
    // Which of the two flip buffers frame n is shown from (always 0 without Flip).
    unsigned buffer_index(uint64_t n) const;
    unsigned buffer_count() const { return (patterns_ & Flip) ? 2 : 1; }
    // Writes the pixels of frame n inside region into a buffer of the given layout.
    void render(uint64_t n, const Region& region, const Format& format, uint8_t* pixels,
                uint32_t stride) const;

    Rect bounds() const { return {0, 0, int32_t(width_), int32_t(height_)}; }
    Rect console_band() const;
    std::vector<Rect> rects_at(uint64_t n) const;

private:
    void pixel_with(uint64_t n, const std::vector<Rect>& rects, const Rect& band, int32_t x,
                    int32_t y, uint8_t rgba[4]) const;

    struct Mover {
        int32_t x0, y0, vx, vy, w, h;
        uint8_t rgba[4];
    };
    uint32_t width_, height_;
    unsigned patterns_;
    std::vector<Mover> movers_;
    uint64_t seed_;
};

} // namespace udmaview
