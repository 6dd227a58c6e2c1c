// SPDX-License-Identifier: MIT
#include "outputs/kms/tile_sizes.h"

namespace udmaview::kms {

std::vector<std::pair<uint32_t, WantedSize>> tile_sizes(uint32_t sources, uint32_t w, uint32_t h,
                                                        uint32_t mm_w, uint32_t mm_h, TileMode mode,
                                                        uint32_t focus) {
    if (!w || !h)
        return {};
    if (sources <= 1)
        return {{0, {w, h, mm_w, mm_h}}};
    std::vector<std::pair<uint32_t, WantedSize>> sizes;
    const std::vector<Rect> rects = tile_rects(sources, w, h, mode, focus);
    for (uint32_t i = 0; i < rects.size(); ++i) {
        const Rect a = tile_inner(rects[i]);
        if (a.empty())
            continue;
        sizes.push_back({i,
                         {uint32_t(a.w), uint32_t(a.h), uint32_t(uint64_t(mm_w) * a.w / w),
                          uint32_t(uint64_t(mm_h) * a.h / h)}});
    }
    return sizes;
}

} // namespace udmaview::kms
