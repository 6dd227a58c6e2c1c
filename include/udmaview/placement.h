// SPDX-License-Identifier: MIT
// Where a source picture lands on a destination (screen, window) of another size: the one
// placement rule of every output that scales (--scale), so KMS and GL agree to the pixel.
#pragma once

#include <cstdint>
#include <string>

#include "udmaview/region.h"
#include "udmaview/scale_mode.h"

namespace udmaview {

// src: the part of the source shown (source pixels); dst: where it lands (destination pixels,
// always inside the destination). Both empty when nothing can be shown (a zero size).
struct Placement {
    Rect src;
    Rect dst;

    bool scaled() const { return src.w != dst.w || src.h != dst.h; }
    bool full_screen(uint32_t dst_w, uint32_t dst_h) const {
        return dst == Rect{0, 0, int32_t(dst_w), int32_t(dst_h)};
    }
    bool operator==(const Placement&) const = default;
    std::string to_string() const; // "src 0,0 800x600 -> dst 112,84 800x600"
};

// The rule, all in integer pixels, every leftover split as floor(leftover / 2) before:
//   fit:     the whole source, as large as fits with its aspect ratio kept (sizes rounded to
//            nearest, at least 1), centred; up- and downscaled alike.
//   integer: the largest whole factor k >= 1 with k * source <= destination, centred. A source
//            larger than the destination gets k = 1, i.e. the same as none (not a downscale:
//            integer promises sharp pixels, and a crop keeps them).
//   none:    1:1, centred. An axis where the source is larger is cropped from the centre
//            (src.x = floor((source - destination) / 2)), as a window shows an oversized
//            picture centred.
// Sizes of 0 or above INT32_MAX give an empty placement.
Placement place(uint32_t src_w, uint32_t src_h, uint32_t dst_w, uint32_t dst_h, ScaleMode mode);

// The rectangle the whole source picture covers in destination pixels under p: dst, extended
// by what the crop cut off (so it reaches outside the destination when p crops). For outputs
// that draw the whole picture and let the destination clip it (a GL viewport).
Rect uncropped_dst(const Placement& p, uint32_t src_w, uint32_t src_h);

// Source damage mapped into destination pixels under p (rounded outwards, clipped to dst).
Region map_damage(const Region& damage, const Placement& p);

} // namespace udmaview
