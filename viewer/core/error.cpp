// SPDX-License-Identifier: MIT
#include "udmaview/error.h"

#include <cstring>

namespace udmaview {

Error Error::from_errno(int err, std::string what, std::string hint) {
    std::string message = std::move(what) + ": " + std::strerror(err);
    if (!hint.empty())
        message += ": " + hint;
    return Error{std::move(message), err};
}

} // namespace udmaview
