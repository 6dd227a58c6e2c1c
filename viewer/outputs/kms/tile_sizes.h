// SPDX-License-Identifier: MIT
// The size each source has on the screen, for the guest to follow (--guest-size follow): the
// whole mode with one source, else its tile's inner rect, with the screen's millimetres
// shared out in proportion. A pure function (tests/unit/kms_present_rule_test).
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "render/tile_layout.h"
#include "udmaview/wanted_size.h"

namespace udmaview::kms {

// (source index, size) for each source that has room on a width × height mode; none when
// the mode is not known yet.
std::vector<std::pair<uint32_t, WantedSize>> tile_sizes(uint32_t sources, uint32_t width,
                                                        uint32_t height, uint32_t width_mm,
                                                        uint32_t height_mm, TileMode mode,
                                                        uint32_t focus);

} // namespace udmaview::kms
