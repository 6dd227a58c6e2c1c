// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <string_view>

#include "udmaview/error.h"
#include "udmaview/placement.h"
#include "udmaview/region.h"
#include "udmaview/scale_mode.h"

namespace udmaview {

// The rectangle (window pixels, y down, origin top left) the whole picture covers in a window
// of win_w × win_h under place() (udmaview/placement.h): it reaches outside the window where
// the placement crops (None/Integer with a larger picture: cropped from the centre).
Rect compute_viewport(uint32_t src_w, uint32_t src_h, uint32_t win_w, uint32_t win_h,
                      ScaleMode mode);

// A window position (pixels, may be fractional) mapped to the source pixel under it.
struct SourcePoint {
    int32_t x = 0, y = 0;
    bool inside = false; // false: the position is on the letterbox border (x, y clamped)
};
SourcePoint window_to_source(const Rect& viewport, uint32_t src_w, uint32_t src_h, double wx,
                             double wy);

// Source damage mapped into window pixels (rounded outwards, clipped to the window). With
// linear_margin, widened by the screen pixels linear filtering blends across the damage's
// edge; nearest sampling never reads outside the source rect, so it needs none.
Region source_to_window(const Region& damage, const Rect& viewport, uint32_t src_w, uint32_t src_h,
                        uint32_t win_w, uint32_t win_h, bool linear_margin = true);

} // namespace udmaview
