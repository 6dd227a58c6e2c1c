// SPDX-License-Identifier: MIT
#include "udmaview/placement.h"

#include <algorithm>
#include <limits>

namespace udmaview {

std::string Placement::to_string() const {
    return "src " + src.to_string() + " -> dst " + dst.to_string();
}

namespace {

constexpr uint32_t max_size = uint32_t(std::numeric_limits<int32_t>::max());

// One axis of a 1:1 or whole-factor placement: how much of the source shows (centred crop
// when it does not fit) and where it lands (centred).
struct Axis {
    int32_t src_off, src_len, dst_off, dst_len;
};

Axis whole_factor(uint32_t src, uint32_t dst, uint32_t k) {
    const uint32_t visible = std::min(src, dst / k);
    const uint32_t shown = visible * k;
    return {int32_t((src - visible) / 2), int32_t(visible), int32_t((dst - shown) / 2),
            int32_t(shown)};
}

Placement from_axes(const Axis& x, const Axis& y) {
    return {{x.src_off, y.src_off, x.src_len, y.src_len},
            {x.dst_off, y.dst_off, x.dst_len, y.dst_len}};
}

// a * b / c rounded to nearest, within [1, limit]; the products fit 64 bits for 32-bit sizes.
uint32_t scaled_len(uint32_t a, uint32_t b, uint32_t c, uint32_t limit) {
    const uint64_t v = (uint64_t(a) * b + c / 2) / c;
    return uint32_t(std::clamp<uint64_t>(v, 1, limit));
}

} // namespace

Placement place(uint32_t src_w, uint32_t src_h, uint32_t dst_w, uint32_t dst_h, ScaleMode mode) {
    if (!src_w || !src_h || !dst_w || !dst_h || src_w > max_size || src_h > max_size ||
        dst_w > max_size || dst_h > max_size)
        return {};
    switch (mode) {
    case ScaleMode::None:
        return from_axes(whole_factor(src_w, dst_w, 1), whole_factor(src_h, dst_h, 1));
    case ScaleMode::Integer: {
        const uint32_t k = std::max<uint32_t>(1, std::min(dst_w / src_w, dst_h / src_h));
        return from_axes(whole_factor(src_w, dst_w, k), whole_factor(src_h, dst_h, k));
    }
    case ScaleMode::Fit: {
        // Compare src_w/src_h with dst_w/dst_h exactly: the tighter axis fills the destination.
        uint32_t w = dst_w, h = dst_h;
        if (uint64_t(src_w) * dst_h <= uint64_t(dst_w) * src_h)
            w = scaled_len(src_w, dst_h, src_h, dst_w);
        else
            h = scaled_len(src_h, dst_w, src_w, dst_h);
        return {{0, 0, int32_t(src_w), int32_t(src_h)},
                {int32_t((dst_w - w) / 2), int32_t((dst_h - h) / 2), int32_t(w), int32_t(h)}};
    }
    }
    return {};
}

Rect uncropped_dst(const Placement& p, uint32_t src_w, uint32_t src_h) {
    if (p.src.empty() || p.dst.empty())
        return {};
    // Exact for every placement place() makes: a crop only happens at a whole factor.
    const int64_t x = p.dst.x - int64_t(p.src.x) * p.dst.w / p.src.w;
    const int64_t y = p.dst.y - int64_t(p.src.y) * p.dst.h / p.src.h;
    const int64_t w = int64_t(src_w) * p.dst.w / p.src.w;
    const int64_t h = int64_t(src_h) * p.dst.h / p.src.h;
    auto clamp32 = [](int64_t v) {
        return int32_t(std::clamp<int64_t>(v, std::numeric_limits<int32_t>::min(),
                                           std::numeric_limits<int32_t>::max()));
    };
    return {clamp32(x), clamp32(y), clamp32(w), clamp32(h)};
}

Region map_damage(const Region& damage, const Placement& p) {
    if (p.src.empty() || p.dst.empty())
        return {};
    Region visible = damage.intersected(p.src).translated(-p.src.x, -p.src.y);
    if (p.scaled())
        visible = visible.scaled(p.dst.w, p.src.w, p.dst.h, p.src.h);
    return visible.translated(p.dst.x, p.dst.y).intersected(p.dst);
}

} // namespace udmaview
