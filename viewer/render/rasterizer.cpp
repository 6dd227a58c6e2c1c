// SPDX-License-Identifier: MIT
#include "render/rasterizer.h"

#include <algorithm>
#include <cctype>
#include <string>

namespace udmaview {

bool is_software_rasterizer(std::string_view gl_renderer) {
    std::string lower(gl_renderer);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    for (const char* name : {"llvmpipe", "softpipe", "swrast"})
        if (lower.find(name) != std::string::npos)
            return true;
    return false;
}

} // namespace udmaview
