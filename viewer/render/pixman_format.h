// SPDX-License-Identifier: MIT
// DRM fourccs (udmaview/format.h) as pixman formats: pixman converts between any two.
#pragma once

#include <pixman.h>

#include "udmaview/error.h"
#include "udmaview/format.h"

namespace udmaview {

// The pixman format of a source buffer: its alpha is ignored (shown opaque, as the GL path
// draws pictures without blending), so ARGB8888 reads as x8r8g8b8.
Result<pixman_format_code_t> pixman_source_format(const Format& format);
// The pixman format of a target (what a screen or window surface holds).
Result<pixman_format_code_t> pixman_target_format(uint32_t fourcc);

} // namespace udmaview
