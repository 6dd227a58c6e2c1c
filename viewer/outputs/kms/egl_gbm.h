// SPDX-License-Identifier: MIT
// EGL on the GBM platform: display, the config whose native visual is the scanout format,
// a GLES context and (optionally) a window surface on a gbm_surface. Owns them all and
// releases them in reverse order; GL objects made in the context must go first.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <EGL/egl.h>
#include <EGL/eglext.h>
#include <gbm.h>

#include "udmaview/error.h"

namespace udmaview::kms {

class EglGbm {
public:
    // window: the surface to render into; nullptr: no surface, the caller renders into a
    // framebuffer object (EGL_KHR_surfaceless_context). format: the GBM format the config's
    // EGL_NATIVE_VISUAL_ID must equal (Mesa lists 10-bit configs first: eglChooseConfig's
    // first match would be one of those). The context is current when this returns.
    static Result<std::unique_ptr<EglGbm>> create(gbm_device* gbm, gbm_surface* window,
                                                  uint32_t format);
    ~EglGbm();
    EglGbm(const EglGbm&) = delete;
    EglGbm& operator=(const EglGbm&) = delete;

    EGLDisplay display() const { return display_; }
    Status make_current() const;
    // EGL_EXT_buffer_age: how many swaps ago the back buffer was drawn; 0 when unknown (its
    // content is undefined: draw everything).
    int buffer_age() const;
    bool has_buffer_age() const { return buffer_age_; }
    Status swap() const;
    std::string describe() const; // "EGL 1.5 (Mesa Project), GLES 3.x" for --verbose

private:
    EglGbm() = default;
    EGLDisplay display_ = EGL_NO_DISPLAY;
    EGLConfig config_ = nullptr;
    EGLContext context_ = EGL_NO_CONTEXT;
    EGLSurface surface_ = EGL_NO_SURFACE;
    bool buffer_age_ = false;
    std::string vendor_;
};

} // namespace udmaview::kms
