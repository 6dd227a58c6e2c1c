// SPDX-License-Identifier: MIT
#include "render/extension_list.h"

namespace udmaview {

bool has_extension(const char* list, std::string_view name) {
    if (!list)
        return false;
    std::string_view rest(list);
    while (!rest.empty()) {
        const size_t space = rest.find(' ');
        if (rest.substr(0, space) == name)
            return true;
        if (space == std::string_view::npos)
            break;
        rest.remove_prefix(space + 1);
    }
    return false;
}

} // namespace udmaview
