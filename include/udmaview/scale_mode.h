// SPDX-License-Identifier: MIT
#pragma once

#include <string_view>

#include "udmaview/error.h"

namespace udmaview {

// How a source picture is placed in a window or on a screen (--scale). place() in
// placement.h turns it into rectangles, the same for every output that scales.
enum class ScaleMode {
    Fit,     // as large as fits, aspect ratio kept, letterboxed
    Integer, // the largest whole multiple that fits (at least 1), centred
    None,    // 1:1, centred (cropped when the target is smaller)
};

Result<ScaleMode> parse_scale_mode(std::string_view text); // "fit", "integer", "none"
const char* to_string(ScaleMode mode);

} // namespace udmaview
