// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace udmaview {

// Half-open pixel rectangle [x, x + w) × [y, y + h). Empty when w <= 0 or h <= 0.
struct Rect {
    int32_t x = 0, y = 0, w = 0, h = 0;

    int32_t right() const { return x + w; }
    int32_t bottom() const { return y + h; }
    bool empty() const { return w <= 0 || h <= 0; }
    int64_t area() const { return empty() ? 0 : int64_t(w) * h; }
    bool contains(const Rect& o) const;
    bool contains_point(int32_t px, int32_t py) const;
    Rect intersect(const Rect& o) const;
    Rect bounding(const Rect& o) const; // smallest rect holding both (empties ignored)
    Rect translated(int32_t dx, int32_t dy) const { return {x + dx, y + dy, w, h}; }
    // Maps through a scale of num/den per axis, rounding outwards (covers every touched pixel).
    Rect scaled(int32_t num_x, int32_t den_x, int32_t num_y, int32_t den_y) const;
    bool operator==(const Rect&) const = default;
    std::string to_string() const;
};

// A set of pixels as non-overlapping rectangles (y-x banded after every operation).
class Region {
public:
    Region() = default;
    explicit Region(const Rect& r);

    static Region from_rects(std::span<const Rect> rects);

    bool empty() const { return rects_.empty(); }
    const std::vector<Rect>& rects() const { return rects_; }
    int64_t area() const;
    Rect bounds() const;
    bool contains_point(int32_t x, int32_t y) const;

    void add(const Rect& r);
    void add(const Region& r);
    Region united(const Region& o) const;
    Region intersected(const Region& o) const;
    Region intersected(const Rect& clip) const;
    Region subtracted(const Region& o) const;
    void clip(const Rect& bounds) { *this = intersected(bounds); }
    Region translated(int32_t dx, int32_t dy) const;
    Region scaled(int32_t num_x, int32_t den_x, int32_t num_y, int32_t den_y) const;
    // At most max_rects rectangles covering at least the same pixels: merges the pair whose
    // bounding box adds the fewest extra pixels until it fits (max_rects >= 1).
    Region simplified(size_t max_rects) const;
    // Extends every rect to full rows of width (for drivers that mishandle x offsets).
    Region widened_to_rows(int32_t x, int32_t width) const;

    bool operator==(const Region& o) const; // same pixel set
    std::string to_string() const;

private:
    void normalize(); // rebuild a canonical banded set
    std::vector<Rect> rects_;
};

} // namespace udmaview
