// SPDX-License-Identifier: MIT
#include "outputs/sdl/egl_swap.h"

#include "render/extension_list.h"

#include <string_view>
#include <vector>

namespace udmaview {

EglDamageSwap::EglDamageSwap(EGLDisplay display)
    : display_(display) {
    if (display == EGL_NO_DISPLAY)
        return;
    const char* ext = eglQueryString(display, EGL_EXTENSIONS);
    // Both extensions define the same entry point signature.
    if (has_extension(ext, "EGL_KHR_swap_buffers_with_damage")) {
        swap_ = reinterpret_cast<PFNEGLSWAPBUFFERSWITHDAMAGEKHRPROC>(
            eglGetProcAddress("eglSwapBuffersWithDamageKHR"));
        extension_ = "EGL_KHR_swap_buffers_with_damage";
    } else if (has_extension(ext, "EGL_EXT_swap_buffers_with_damage")) {
        swap_ = reinterpret_cast<PFNEGLSWAPBUFFERSWITHDAMAGEKHRPROC>(
            eglGetProcAddress("eglSwapBuffersWithDamageEXT"));
        extension_ = "EGL_EXT_swap_buffers_with_damage";
    }
    if (!swap_)
        extension_ = "";
}

bool EglDamageSwap::swap(EGLSurface surface, const Region& damage, int32_t win_h) const {
    if (!swap_ || surface == EGL_NO_SURFACE)
        return false;
    std::vector<EGLint> rects;
    rects.reserve(damage.rects().size() * 4);
    for (const Rect& r : damage.rects()) {
        // EGL wants the origin at the bottom left.
        rects.insert(rects.end(), {r.x, win_h - r.bottom(), r.w, r.h});
    }
    return swap_(display_, surface, rects.data(), EGLint(rects.size() / 4)) == EGL_TRUE;
}

} // namespace udmaview
