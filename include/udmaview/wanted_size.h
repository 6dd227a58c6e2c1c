// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>

namespace udmaview {

// The size an output would show a source at 1:1: a KMS mode (or tile), an SDL window's
// drawable (or tile). Millimetres are 0 when the output does not know them.
struct WantedSize {
    uint32_t width = 0, height = 0;
    uint32_t width_mm = 0, height_mm = 0;
    bool operator==(const WantedSize&) const = default;
};

} // namespace udmaview
