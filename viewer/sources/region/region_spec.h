// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <string>

#include "udmaview/format.h"

namespace udmaview {

// Where a framebuffer lies inside a file. The command line spells it
// "PATH,size=WxH[,offset=N][,format=FMT][,stride=N]" (parsed in cli/source_spec.h; PATH cannot
// contain a comma there); stride is at least width × bytes per pixel.
struct RegionSpec {
    std::string path;
    uint64_t offset = 0;
    uint32_t width = 0, height = 0;
    uint32_t stride = 0;
    const Format* format = nullptr;

    std::string to_string() const;
};

} // namespace udmaview
