// SPDX-License-Identifier: MIT
// Pure placement math of the KMS output: where a source picture goes on the screen.
#pragma once

#include <cstdint>
#include <string>

#include "udmaview/error.h"
#include "udmaview/region.h"
#include "udmaview/scale_mode.h"

namespace udmaview::kms {

using udmaview::parse_scale_mode;
using udmaview::ScaleMode;
using udmaview::to_string;

// One plane's rectangles: src in source pixels (what part of the buffer is shown), dst in
// CRTC pixels (where it lands). Both empty-free when the picture is visible at all.
struct Placement {
    Rect src;
    Rect dst;

    bool scaled() const { return src.w != dst.w || src.h != dst.h; }
    bool full_screen(uint32_t screen_w, uint32_t screen_h) const {
        return dst == Rect{0, 0, int32_t(screen_w), int32_t(screen_h)};
    }
    bool operator==(const Placement&) const = default;
    std::string to_string() const;
};

// fit: largest size with the source's aspect ratio that fits, centred;
// integer: largest whole factor (at least 1) that fits, centred;
// none: 1:1, centred. A source larger than the screen (integer/none) is cropped to its
// top-left part, where a guest console starts.
Placement place(uint32_t src_w, uint32_t src_h, uint32_t screen_w, uint32_t screen_h,
                ScaleMode mode);

// Source damage → screen damage under a placement (rounded outwards, clipped to dst).
Region map_damage(const Region& damage, const Placement& placement);

} // namespace udmaview::kms
