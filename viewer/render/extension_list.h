// SPDX-License-Identifier: MIT
#pragma once

#include <string_view>

namespace udmaview {

// True when the space-separated extension list (eglQueryString / glGetString) holds exactly
// this name; a null list holds nothing.
bool has_extension(const char* list, std::string_view name);

} // namespace udmaview
