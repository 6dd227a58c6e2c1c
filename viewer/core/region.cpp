// SPDX-License-Identifier: MIT
#include "udmaview/region.h"

#include <algorithm>
#include <limits>

namespace udmaview {

namespace {

struct Span {
    int32_t x1, x2; // [x1, x2)
    bool operator==(const Span&) const = default;
};

int32_t floor_div(int64_t a, int64_t b) {
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0)))
        --q;
    return int32_t(q);
}

int32_t ceil_div(int64_t a, int64_t b) {
    return -floor_div(-a, b);
}

// Sorted, disjoint, non-touching spans covering the given x-intervals.
std::vector<Span> merge_spans(std::vector<Span> spans) {
    std::sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) { return a.x1 < b.x1; });
    std::vector<Span> merged;
    for (const Span& s : spans) {
        if (!merged.empty() && s.x1 <= merged.back().x2)
            merged.back().x2 = std::max(merged.back().x2, s.x2);
        else
            merged.push_back(s);
    }
    return merged;
}

enum class Op { Union, Intersect, Subtract };

// op over two sorted disjoint span lists, in one merge pass.
std::vector<Span> combine(const std::vector<Span>& a, const std::vector<Span>& b, Op op) {
    std::vector<int32_t> xs;
    xs.reserve(2 * (a.size() + b.size()));
    for (const auto* list : {&a, &b})
        for (const Span& s : *list)
            xs.insert(xs.end(), {s.x1, s.x2});
    std::sort(xs.begin(), xs.end());
    xs.erase(std::unique(xs.begin(), xs.end()), xs.end());
    std::vector<Span> out;
    size_t ia = 0, ib = 0;
    for (size_t i = 0; i + 1 < xs.size(); ++i) {
        const int32_t x = xs[i];
        while (ia < a.size() && a[ia].x2 <= x)
            ++ia;
        while (ib < b.size() && b[ib].x2 <= x)
            ++ib;
        const bool in_a = ia < a.size() && a[ia].x1 <= x;
        const bool in_b = ib < b.size() && b[ib].x1 <= x;
        const bool keep = op == Op::Union       ? (in_a || in_b)
                          : op == Op::Intersect ? (in_a && in_b)
                                                : (in_a && !in_b);
        if (!keep)
            continue;
        if (!out.empty() && out.back().x2 == x)
            out.back().x2 = xs[i + 1];
        else
            out.push_back({x, xs[i + 1]});
    }
    return out;
}

// Walks the y-bands of a rectangle list top to bottom, keeping only the rectangles that
// cross the current band.
class BandWalker {
public:
    explicit BandWalker(const std::vector<Rect>& rects) {
        for (const Rect& r : rects)
            if (!r.empty())
                sorted_.push_back(r);
        std::sort(sorted_.begin(), sorted_.end(),
                  [](const Rect& a, const Rect& b) { return a.y < b.y; });
    }
    // Spans of the band [y1, y2); bands must be asked for in increasing order.
    std::vector<Span> spans(int32_t y1, int32_t y2) {
        while (next_ < sorted_.size() && sorted_[next_].y <= y1)
            active_.push_back(sorted_[next_++]);
        std::erase_if(active_, [&](const Rect& r) { return r.bottom() <= y1; });
        std::vector<Span> spans;
        for (const Rect& r : active_)
            if (r.bottom() >= y2)
                spans.push_back({r.x, r.right()});
        return merge_spans(std::move(spans));
    }
    void add_edges(std::vector<int32_t>& ys) const {
        for (const Rect& r : sorted_)
            ys.insert(ys.end(), {r.y, r.bottom()});
    }

private:
    std::vector<Rect> sorted_, active_;
    size_t next_ = 0;
};

// The canonical banded form of op(a, b): bands sorted by y, spans by x, equal adjacent bands
// coalesced. Both inputs may hold overlapping rectangles.
std::vector<Rect> sweep(const std::vector<Rect>& a, const std::vector<Rect>& b, Op op) {
    BandWalker wa(a), wb(b);
    std::vector<int32_t> ys;
    wa.add_edges(ys);
    wb.add_edges(ys);
    std::sort(ys.begin(), ys.end());
    ys.erase(std::unique(ys.begin(), ys.end()), ys.end());

    std::vector<Rect> out;
    std::vector<Span> prev;
    size_t prev_start = 0; // index in out of the previous band's first rect
    int32_t prev_bottom = std::numeric_limits<int32_t>::min();
    for (size_t i = 0; i + 1 < ys.size(); ++i) {
        const int32_t y1 = ys[i], y2 = ys[i + 1];
        std::vector<Span> spans = combine(wa.spans(y1, y2), wb.spans(y1, y2), op);
        if (spans.empty()) {
            prev.clear();
            continue;
        }
        if (spans == prev && prev_bottom == y1) {
            for (size_t k = prev_start; k < out.size(); ++k)
                out[k].h = y2 - out[k].y;
        } else {
            prev_start = out.size();
            for (const Span& s : spans)
                out.push_back({s.x1, y1, s.x2 - s.x1, y2 - y1});
            prev = std::move(spans);
        }
        prev_bottom = y2;
    }
    return out;
}

// Extra pixels a bounding merge of a and b would add.
int64_t merge_cost(const Rect& a, const Rect& b) {
    return a.bounding(b).area() - a.area() - b.area() + a.intersect(b).area();
}

} // namespace

bool Rect::contains(const Rect& o) const {
    if (o.empty())
        return true;
    return !empty() && o.x >= x && o.y >= y && o.right() <= right() && o.bottom() <= bottom();
}

bool Rect::contains_point(int32_t px, int32_t py) const {
    return px >= x && py >= y && px < right() && py < bottom();
}

Rect Rect::intersect(const Rect& o) const {
    const int32_t x1 = std::max(x, o.x), y1 = std::max(y, o.y);
    const int32_t x2 = std::min(right(), o.right()), y2 = std::min(bottom(), o.bottom());
    if (x2 <= x1 || y2 <= y1)
        return {};
    return {x1, y1, x2 - x1, y2 - y1};
}

Rect Rect::bounding(const Rect& o) const {
    if (empty())
        return o.empty() ? Rect{} : o;
    if (o.empty())
        return *this;
    const int32_t x1 = std::min(x, o.x), y1 = std::min(y, o.y);
    const int32_t x2 = std::max(right(), o.right()), y2 = std::max(bottom(), o.bottom());
    return {x1, y1, x2 - x1, y2 - y1};
}

Rect Rect::scaled(int32_t num_x, int32_t den_x, int32_t num_y, int32_t den_y) const {
    if (empty() || den_x <= 0 || den_y <= 0 || num_x <= 0 || num_y <= 0)
        return {};
    const int32_t x1 = floor_div(int64_t(x) * num_x, den_x);
    const int32_t y1 = floor_div(int64_t(y) * num_y, den_y);
    const int32_t x2 = ceil_div(int64_t(right()) * num_x, den_x);
    const int32_t y2 = ceil_div(int64_t(bottom()) * num_y, den_y);
    return {x1, y1, x2 - x1, y2 - y1};
}

std::string Rect::to_string() const {
    return std::to_string(w) + "x" + std::to_string(h) + "+" + std::to_string(x) + "+" +
           std::to_string(y);
}

Region::Region(const Rect& r) {
    if (!r.empty())
        rects_.push_back(r);
}

Region Region::from_rects(std::span<const Rect> rects) {
    Region region;
    region.rects_.assign(rects.begin(), rects.end());
    region.normalize();
    return region;
}

void Region::normalize() {
    rects_ = sweep(rects_, {}, Op::Union);
}

int64_t Region::area() const {
    int64_t total = 0;
    for (const Rect& r : rects_)
        total += r.area();
    return total;
}

Rect Region::bounds() const {
    Rect b;
    for (const Rect& r : rects_)
        b = b.bounding(r);
    return b;
}

bool Region::contains_point(int32_t x, int32_t y) const {
    return std::any_of(rects_.begin(), rects_.end(),
                       [&](const Rect& r) { return r.contains_point(x, y); });
}

void Region::add(const Rect& r) {
    if (r.empty())
        return;
    for (const Rect& have : rects_)
        if (have.contains(r))
            return;
    rects_ = sweep(rects_, {r}, Op::Union);
}

void Region::add(const Region& r) {
    if (!r.empty())
        rects_ = sweep(rects_, r.rects_, Op::Union);
}

Region Region::united(const Region& o) const {
    Region out;
    out.rects_ = sweep(rects_, o.rects_, Op::Union);
    return out;
}

Region Region::intersected(const Region& o) const {
    Region out;
    out.rects_ = sweep(rects_, o.rects_, Op::Intersect);
    return out;
}

Region Region::intersected(const Rect& clip) const {
    return intersected(Region(clip));
}

Region Region::subtracted(const Region& o) const {
    Region out;
    out.rects_ = sweep(rects_, o.rects_, Op::Subtract);
    return out;
}

Region Region::translated(int32_t dx, int32_t dy) const {
    Region out = *this;
    for (Rect& r : out.rects_)
        r = r.translated(dx, dy);
    return out;
}

Region Region::scaled(int32_t num_x, int32_t den_x, int32_t num_y, int32_t den_y) const {
    std::vector<Rect> scaled;
    for (const Rect& r : rects_)
        scaled.push_back(r.scaled(num_x, den_x, num_y, den_y));
    return from_rects(scaled); // rounding outwards can make neighbours overlap
}

Region Region::simplified(size_t max_rects) const {
    max_rects = std::max<size_t>(max_rects, 1);
    std::vector<Rect> rects = rects_;
    // Many small rects (tile damage): first collapse each band to its extent, which keeps
    // the greedy pass below cheap.
    if (rects.size() > std::max<size_t>(64, 4 * max_rects)) {
        std::vector<Rect> bands;
        for (const Rect& r : rects) {
            if (!bands.empty() && bands.back().y == r.y && bands.back().h == r.h)
                bands.back() = bands.back().bounding(r);
            else
                bands.push_back(r);
        }
        rects = sweep(bands, {}, Op::Union);
    }
    while (rects.size() > max_rects) {
        size_t best_i = 0, best_j = 1;
        int64_t best = std::numeric_limits<int64_t>::max();
        for (size_t i = 0; i < rects.size(); ++i)
            for (size_t j = i + 1; j < rects.size(); ++j)
                if (int64_t c = merge_cost(rects[i], rects[j]); c < best)
                    best = c, best_i = i, best_j = j;
        Rect merged = rects[best_i].bounding(rects[best_j]);
        rects.erase(rects.begin() + long(best_j));
        rects.erase(rects.begin() + long(best_i));
        // Swallow everything the new box now overlaps, so the rects stay disjoint.
        for (bool grew = true; grew;) {
            grew = false;
            for (size_t k = 0; k < rects.size(); ++k) {
                if (!merged.intersect(rects[k]).empty()) {
                    merged = merged.bounding(rects[k]);
                    rects.erase(rects.begin() + long(k));
                    grew = true;
                    break;
                }
            }
        }
        rects.push_back(merged);
    }
    Region out;
    out.rects_ = std::move(rects);
    return out;
}

Region Region::widened_to_rows(int32_t x, int32_t width) const {
    std::vector<Rect> rows;
    for (const Rect& r : rects_)
        rows.push_back({x, r.y, width, r.h});
    return from_rects(rows);
}

bool Region::operator==(const Region& o) const {
    return sweep(rects_, {}, Op::Union) == sweep(o.rects_, {}, Op::Union);
}

std::string Region::to_string() const {
    std::string s = "{";
    for (size_t i = 0; i < rects_.size(); ++i)
        s += (i ? ", " : "") + rects_[i].to_string();
    return s + "}";
}

} // namespace udmaview
