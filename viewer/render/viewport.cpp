// SPDX-License-Identifier: MIT
#include "render/viewport.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <string>

namespace udmaview {

Rect compute_viewport(uint32_t src_w, uint32_t src_h, uint32_t win_w, uint32_t win_h,
                      ScaleMode mode) {
    return uncropped_dst(place(src_w, src_h, win_w, win_h, mode), src_w, src_h);
}

SourcePoint window_to_source(const Rect& viewport, uint32_t src_w, uint32_t src_h, double wx,
                             double wy) {
    SourcePoint p;
    if (viewport.empty() || src_w == 0 || src_h == 0)
        return p;
    const double fx = (wx - viewport.x) * double(src_w) / viewport.w;
    const double fy = (wy - viewport.y) * double(src_h) / viewport.h;
    const int64_t sx = int64_t(std::floor(fx)), sy = int64_t(std::floor(fy));
    p.inside = sx >= 0 && sy >= 0 && sx < int64_t(src_w) && sy < int64_t(src_h);
    p.x = int32_t(std::clamp<int64_t>(sx, 0, int64_t(src_w) - 1));
    p.y = int32_t(std::clamp<int64_t>(sy, 0, int64_t(src_h) - 1));
    return p;
}

Region source_to_window(const Region& damage, const Rect& viewport, uint32_t src_w, uint32_t src_h,
                        uint32_t win_w, uint32_t win_h, bool linear_margin) {
    if (viewport.empty() || src_w == 0 || src_h == 0)
        return {};
    const Rect window{0, 0, int32_t(win_w), int32_t(win_h)};
    // Linear filtering blends a source pixel into the screen pixels up to half a (scaled)
    // pixel plus half a screen pixel beyond its cell: at magnification k that is
    // ceil(k / 2 + 0.5) - 1 screen pixels, and at least one.
    auto margin = [linear_margin](int64_t dst, int64_t src) {
        if (!linear_margin)
            return int64_t(0);
        return std::max<int64_t>(1, (dst + src + 2 * src - 1) / (2 * src) - 1);
    };
    const int64_t mx = margin(viewport.w, src_w), my = margin(viewport.h, src_h);
    Region out;
    for (const Rect& r : damage.rects()) {
        // Outward rounding, plus the margin for linear filtering across the edge.
        const int64_t x0 = viewport.x + int64_t(r.x) * viewport.w / int64_t(src_w) - mx;
        const int64_t y0 = viewport.y + int64_t(r.y) * viewport.h / int64_t(src_h) - my;
        const int64_t x1 =
            viewport.x + (int64_t(r.right()) * viewport.w + src_w - 1) / int64_t(src_w) + mx;
        const int64_t y1 =
            viewport.y + (int64_t(r.bottom()) * viewport.h + src_h - 1) / int64_t(src_h) + my;
        const auto clampi = [](int64_t v) {
            return int32_t(std::clamp<int64_t>(v, INT32_MIN / 2, INT32_MAX / 2));
        };
        out.add(Rect{clampi(x0), clampi(y0), clampi(x1 - x0), clampi(y1 - y0)}.intersect(window));
    }
    return out;
}

} // namespace udmaview
