// SPDX-License-Identifier: MIT
#include "udmaview/scale_mode.h"

#include <cerrno>
#include <string>

namespace udmaview {

Result<ScaleMode> parse_scale_mode(std::string_view text) {
    if (text == "fit")
        return ScaleMode::Fit;
    if (text == "integer")
        return ScaleMode::Integer;
    if (text == "none")
        return ScaleMode::None;
    return Error{"--scale: '" + std::string(text) + "' is not fit, integer or none", EINVAL};
}

const char* to_string(ScaleMode mode) {
    switch (mode) {
    case ScaleMode::Fit:
        return "fit";
    case ScaleMode::Integer:
        return "integer";
    case ScaleMode::None:
        return "none";
    }
    return "?";
}

} // namespace udmaview
