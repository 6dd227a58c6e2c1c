// SPDX-License-Identifier: MIT
#include "outputs/egl/viewport.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <string>

namespace udmaview {

Rect compute_viewport(uint32_t src_w, uint32_t src_h, uint32_t win_w, uint32_t win_h,
                      ScaleMode mode) {
    if (src_w == 0 || src_h == 0 || win_w == 0 || win_h == 0)
        return {};
    int64_t w = src_w, h = src_h;
    switch (mode) {
    case ScaleMode::Fit:
        // Compare aspect ratios exactly in integers: src_w/src_h <= win_w/win_h.
        if (uint64_t(src_w) * win_h <= uint64_t(win_w) * src_h) {
            h = win_h;
            w = std::max<int64_t>(1, (int64_t(src_w) * win_h + src_h / 2) / src_h);
        } else {
            w = win_w;
            h = std::max<int64_t>(1, (int64_t(src_h) * win_w + src_w / 2) / src_w);
        }
        break;
    case ScaleMode::Integer: {
        const uint32_t k = std::max<uint32_t>(1, std::min(win_w / src_w, win_h / src_h));
        w = int64_t(src_w) * k;
        h = int64_t(src_h) * k;
        break;
    }
    case ScaleMode::None:
        break;
    }
    // Centre; a negative offset (picture larger than the window) crops both sides evenly.
    const int64_t x = (int64_t(win_w) - w) / 2;
    const int64_t y = (int64_t(win_h) - h) / 2;
    return {int32_t(x), int32_t(y), int32_t(w), int32_t(h)};
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
                        uint32_t win_w, uint32_t win_h) {
    if (viewport.empty() || src_w == 0 || src_h == 0)
        return {};
    const Rect window{0, 0, int32_t(win_w), int32_t(win_h)};
    Region out;
    for (const Rect& r : damage.rects()) {
        // Outward rounding, plus one pixel of margin for linear filtering across the edge.
        const int64_t x0 = viewport.x + int64_t(r.x) * viewport.w / int64_t(src_w) - 1;
        const int64_t y0 = viewport.y + int64_t(r.y) * viewport.h / int64_t(src_h) - 1;
        const int64_t x1 =
            viewport.x + (int64_t(r.right()) * viewport.w + src_w - 1) / int64_t(src_w) + 1;
        const int64_t y1 =
            viewport.y + (int64_t(r.bottom()) * viewport.h + src_h - 1) / int64_t(src_h) + 1;
        const auto clampi = [](int64_t v) {
            return int32_t(std::clamp<int64_t>(v, INT32_MIN / 2, INT32_MAX / 2));
        };
        out.add(Rect{clampi(x0), clampi(y0), clampi(x1 - x0), clampi(y1 - y0)}.intersect(window));
    }
    return out;
}

} // namespace udmaview
