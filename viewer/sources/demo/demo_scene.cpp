// SPDX-License-Identifier: MIT
#include "sources/demo/demo_scene.h"

#include <algorithm>
#include <cerrno>
#include <string>

namespace udmaview {

namespace {

uint64_t splitmix(uint64_t x) {
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

// Position along [0, range] moving back and forth (a triangle wave).
int32_t bounce(int64_t t, int32_t range) {
    if (range <= 0)
        return 0;
    const int64_t period = 2 * int64_t(range);
    int64_t m = t % period;
    if (m < 0)
        m += period;
    return int32_t(m <= range ? m : period - m);
}

} // namespace

Result<unsigned> DemoScene::parse_patterns(std::string_view text) {
    unsigned patterns = 0;
    size_t pos = 0;
    while (pos <= text.size()) {
        size_t end = text.find(',', pos);
        if (end == std::string_view::npos)
            end = text.size();
        const std::string_view word = text.substr(pos, end - pos);
        if (word == "rects")
            patterns |= Rects;
        else if (word == "console")
            patterns |= Console;
        else if (word == "flip")
            patterns |= Flip;
        else if (word == "all")
            patterns |= All;
        else
            return Error{"unknown demo pattern '" + std::string(word) +
                             "'; use rects, console, flip or all (comma separated)",
                         EINVAL};
        pos = end + 1;
    }
    return patterns;
}

DemoScene::DemoScene(uint32_t width, uint32_t height, unsigned patterns, uint64_t seed)
    : width_(width)
    , height_(height)
    , patterns_(patterns)
    , seed_(seed) {
    uint64_t state = seed;
    auto next = [&] {
        return state = splitmix(state);
    };
    for (int i = 0; i < 4; ++i) {
        Mover m{};
        m.w = int32_t(std::max<uint32_t>(1, width / 10 + uint32_t(next() % (width / 6 + 1))));
        m.h = int32_t(std::max<uint32_t>(1, height / 10 + uint32_t(next() % (height / 6 + 1))));
        m.x0 = int32_t(next() % width);
        m.y0 = int32_t(next() % height);
        m.vx = int32_t(1 + next() % 7) * (next() & 1 ? 1 : -1);
        m.vy = int32_t(1 + next() % 5) * (next() & 1 ? 1 : -1);
        const uint64_t c = next();
        m.rgba[0] = uint8_t(64 + (c & 0xbf));
        m.rgba[1] = uint8_t(64 + ((c >> 8) & 0xbf));
        m.rgba[2] = uint8_t(64 + ((c >> 16) & 0xbf));
        m.rgba[3] = 255;
        movers_.push_back(m);
    }
}

Rect DemoScene::console_band() const {
    if (!(patterns_ & Console))
        return {};
    const uint32_t rows = std::min<uint32_t>(8, height_ / 4 / glyph_h);
    const int32_t h = int32_t(rows * glyph_h);
    return {0, int32_t(height_) - h, int32_t(width_), h};
}

std::vector<Rect> DemoScene::rects_at(uint64_t n) const {
    std::vector<Rect> out;
    if (!(patterns_ & Rects))
        return out;
    const int64_t t = int64_t(n) - 1;
    for (const Mover& m : movers_) {
        const int32_t x = bounce(m.x0 + m.vx * t, int32_t(width_) - m.w);
        const int32_t y = bounce(m.y0 + m.vy * t, int32_t(height_) - m.h);
        out.push_back(Rect{x, y, m.w, m.h}.intersect(bounds()));
    }
    return out;
}

unsigned DemoScene::buffer_index(uint64_t n) const {
    return (patterns_ & Flip) ? unsigned(((n - 1) / flip_period) % 2) : 0;
}

void DemoScene::pixel(uint64_t n, int32_t x, int32_t y, uint8_t rgba[4]) const {
    pixel_with(n, rects_at(n), console_band(), x, y, rgba);
}

void DemoScene::pixel_with(uint64_t n, const std::vector<Rect>& rects, const Rect& band, int32_t x,
                           int32_t y, uint8_t rgba[4]) const {
    for (size_t i = rects.size(); i-- > 0;) {
        if (rects[i].contains_point(x, y)) {
            std::copy_n(movers_[i].rgba, 4, rgba);
            return;
        }
    }
    if (band.contains_point(x, y)) {
        const uint64_t line = uint64_t((y - band.y) / int32_t(glyph_h)) + (n - 1) / scroll_period;
        const uint32_t col = uint32_t(x) / glyph_w;
        const uint64_t ch = splitmix(seed_ ^ (line * 1315423911u) ^ (uint64_t(col) << 40)) % 96;
        const uint32_t gx = uint32_t(x) % glyph_w, gy = uint32_t(y - band.y) % glyph_h;
        const bool ink = ch != 0 && gx < glyph_w - 1 && gy >= 2 && gy < glyph_h - 2 &&
                         (splitmix(ch * 977 + gy * 13 + gx) & 3) == 0;
        rgba[0] = ink ? 170 : 16;
        rgba[1] = ink ? 240 : 24;
        rgba[2] = ink ? 170 : 16;
        rgba[3] = 255;
        return;
    }
    const uint64_t phase = (patterns_ & Flip) ? (n - 1) / flip_period : 0;
    rgba[0] = uint8_t((uint32_t(x) * 255 / std::max<uint32_t>(1, width_ - 1) + phase * 85) & 0xff);
    rgba[1] = uint8_t((uint32_t(y) * 255 / std::max<uint32_t>(1, height_ - 1)) & 0xff);
    rgba[2] = uint8_t(((((x >> 5) ^ (y >> 5)) & 1) ? 160 : 96) + phase * 37);
    rgba[3] = 255;
}

Region DemoScene::damage(uint64_t n) const {
    if (n <= 1 || ((patterns_ & Flip) && (n - 1) % flip_period == 0))
        return Region(bounds());
    Region region;
    const std::vector<Rect> before = rects_at(n - 1), now = rects_at(n);
    for (size_t i = 0; i < now.size(); ++i) {
        if (before[i] != now[i]) {
            region.add(before[i]);
            region.add(now[i]);
        }
    }
    if ((patterns_ & Console) && (n - 1) / scroll_period != (n - 2) / scroll_period)
        region.add(console_band());
    return region;
}

void DemoScene::render(uint64_t n, const Region& region, const Format& format, uint8_t* pixels,
                       uint32_t stride) const {
    const unsigned bpp = format.bytes_per_pixel;
    const std::vector<Rect> rects = rects_at(n);
    const Rect band = console_band();
    uint8_t rgba[4];
    const Region clipped = region.intersected(bounds());
    for (const Rect& r : clipped.rects()) {
        for (int32_t y = r.y; y < r.bottom(); ++y) {
            uint8_t* p = pixels + size_t(y) * stride + size_t(r.x) * bpp;
            for (int32_t x = r.x; x < r.right(); ++x, p += bpp) {
                pixel_with(n, rects, band, x, y, rgba);
                format.from_rgba8(rgba, p);
            }
        }
    }
}

} // namespace udmaview
