// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>

#include "udmaview/error.h"

namespace udmaview {

// Environment variables that exist for tests and driver debugging, not for users (so they are
// not options). All of them are read here, once, with one rule: a switch is on when the
// variable is set to anything but "" or "0"; a number must be a whole decimal number.
struct TestHooks {
    bool kms_legacy = false;    // UDMAVIEW_KMS_LEGACY: legacy SetCrtc/PageFlip instead of atomic
    bool egl_no_import = false; // UDMAVIEW_EGL_NO_IMPORT: sdl and headless --render gl upload
                                // instead of importing
    uint64_t sdl_hold_ms = 0;   // UDMAVIEW_SDL_HOLD_MS: keep the window (sdl, wayland) up
                                // after the run (for screenshots), at most 600000
};

// An Error names the variable whose value is not understood.
Result<TestHooks> read_test_hooks();

} // namespace udmaview
