// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <string>

#include "udmaview/error.h"
#include "udmaview/format.h"

namespace udmaview {

// Where a framebuffer lies inside a file: "PATH,offset=N,size=WxH,format=FMT,stride=N".
// offset (default 0) and stride (default width × bytes per pixel) take decimal or 0x hex;
// format defaults to XRGB8888. PATH may contain commas only if it is the last field.
struct RegionSpec {
    std::string path;
    uint64_t offset = 0;
    uint32_t width = 0, height = 0;
    uint32_t stride = 0;
    const Format* format = nullptr;

    static Result<RegionSpec> parse(const std::string& text);
    std::string to_string() const;
};

} // namespace udmaview
