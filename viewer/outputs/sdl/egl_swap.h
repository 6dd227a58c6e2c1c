// SPDX-License-Identifier: MIT
#pragma once

#include <EGL/egl.h>
#include <EGL/eglext.h>

#include "udmaview/region.h"

namespace udmaview {

// eglSwapBuffersWithDamage{KHR,EXT} when the display has it: the compositor (or the
// display server) then only updates the damaged rectangles. Without it, swap normally.
class EglDamageSwap {
public:
    // display may be EGL_NO_DISPLAY: then available() is false.
    explicit EglDamageSwap(EGLDisplay display);
    bool available() const { return swap_ != nullptr; }
    const char* extension() const { return extension_; }
    // Swaps surface with damage given in window pixels (y down) of a window win_h high.
    // False when the call failed (the caller then swaps the whole surface).
    bool swap(EGLSurface surface, const Region& damage, int32_t win_h) const;

private:
    EGLDisplay display_;
    PFNEGLSWAPBUFFERSWITHDAMAGEKHRPROC swap_ = nullptr;
    const char* extension_ = "";
};

} // namespace udmaview
