// SPDX-License-Identifier: MIT
#include "cli/test_hooks.h"

#include <cerrno>
#include <cstdlib>
#include <string>
#include <string_view>

#include "udmaview/parse.h"

namespace udmaview {

namespace {

bool switch_on(const char* name) {
    const char* v = std::getenv(name);
    return v && *v && std::string_view(v) != "0";
}

} // namespace

Result<TestHooks> read_test_hooks() {
    TestHooks hooks;
    hooks.kms_legacy = switch_on("UDMAVIEW_KMS_LEGACY");
    hooks.egl_no_import = switch_on("UDMAVIEW_EGL_NO_IMPORT");
    if (const char* hold = std::getenv("UDMAVIEW_SDL_HOLD_MS"); hold && *hold) {
        Result<uint64_t> ms = parse_uint(hold, 0, 600'000);
        if (!ms)
            return Error{"UDMAVIEW_SDL_HOLD_MS: " + ms.error().message +
                             " (milliseconds; unset it to not hold the window)",
                         EINVAL};
        hooks.sdl_hold_ms = *ms;
    }
    return hooks;
}

} // namespace udmaview
