// SPDX-License-Identifier: MIT
#include "sources/region/region_spec.h"

namespace udmaview {

std::string RegionSpec::to_string() const {
    return path + " offset " + std::to_string(offset) + " " + std::to_string(width) + "x" +
           std::to_string(height) + " stride " + std::to_string(stride) + " " +
           std::string(format->name);
}

} // namespace udmaview
