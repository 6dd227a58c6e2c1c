// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <string_view>

#include "udmaview/error.h"

namespace udmaview {

// Parsers for the small value syntaxes that options and specs share. Errors say what the text
// should look like; the caller prefixes the option or field it came from.

struct Size {
    uint32_t width = 0, height = 0;
    bool operator==(const Size&) const = default;
};

// "1280x720", each side 1..16384 (the largest framebuffer any DRM driver here accepts).
Result<Size> parse_size(std::string_view text);

// Decimal, or hexadecimal with a 0x prefix when hex_prefix is set; within [min, max].
Result<uint64_t> parse_uint(std::string_view text, uint64_t min, uint64_t max,
                            bool hex_prefix = false);

// A finite decimal number within [min, max].
Result<double> parse_double(std::string_view text, double min, double max);

} // namespace udmaview
