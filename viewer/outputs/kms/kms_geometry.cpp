// SPDX-License-Identifier: MIT
#include "outputs/kms/kms_geometry.h"

#include <algorithm>
#include <cerrno>

namespace udmaview::kms {

std::string Placement::to_string() const {
    return "src " + src.to_string() + " -> dst " + dst.to_string();
}

namespace {

// 1:1, centred; a too large source is cropped to its top-left part.
Placement unscaled(int32_t sw, int32_t sh, int32_t w, int32_t h, int32_t factor) {
    const int32_t vis_w = std::min(sw, w / factor);
    const int32_t vis_h = std::min(sh, h / factor);
    const int32_t dw = vis_w * factor, dh = vis_h * factor;
    return {{0, 0, vis_w, vis_h}, {(w - dw) / 2, (h - dh) / 2, dw, dh}};
}

} // namespace

Placement place(uint32_t src_w, uint32_t src_h, uint32_t screen_w, uint32_t screen_h,
                ScaleMode mode) {
    const int32_t sw = int32_t(src_w), sh = int32_t(src_h);
    const int32_t w = int32_t(screen_w), h = int32_t(screen_h);
    if (sw <= 0 || sh <= 0 || w <= 0 || h <= 0)
        return {};
    switch (mode) {
    case ScaleMode::None:
        return unscaled(sw, sh, w, h, 1);
    case ScaleMode::Integer:
        return unscaled(sw, sh, w, h, std::max<int32_t>(1, std::min(w / sw, h / sh)));
    case ScaleMode::Fit: {
        // Compare w/sw with h/sh without rounding: the tighter axis fills the screen.
        int32_t dw = w, dh = h;
        if (int64_t(w) * sh <= int64_t(h) * sw)
            dh = int32_t(std::max<int64_t>(1, int64_t(w) * sh / sw));
        else
            dw = int32_t(std::max<int64_t>(1, int64_t(h) * sw / sh));
        return {{0, 0, sw, sh}, {(w - dw) / 2, (h - dh) / 2, dw, dh}};
    }
    }
    return {};
}

Region map_damage(const Region& damage, const Placement& p) {
    if (p.src.empty() || p.dst.empty())
        return {};
    Region visible = damage.intersected(p.src).translated(-p.src.x, -p.src.y);
    if (p.scaled())
        visible = visible.scaled(p.dst.w, p.src.w, p.dst.h, p.src.h);
    return visible.translated(p.dst.x, p.dst.y).intersected(p.dst);
}

} // namespace udmaview::kms
