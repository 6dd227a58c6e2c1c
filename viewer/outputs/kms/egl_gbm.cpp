// SPDX-License-Identifier: MIT
#include "outputs/kms/egl_gbm.h"

#include <cerrno>
#include <cstdio>
#include <vector>

#include "render/extension_list.h"

namespace udmaview::kms {

namespace {

std::string egl_error() {
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%04x", unsigned(eglGetError()));
    return std::string("EGL error ") + buf;
}

Error fail(const std::string& what) {
    return Error{"kms: " + what + " on the GBM platform failed (" + egl_error() +
                     "); use --kms-path copy",
                 EIO};
}

} // namespace

Result<std::unique_ptr<EglGbm>> EglGbm::create(gbm_device* gbm, gbm_surface* window,
                                               uint32_t format) {
    std::unique_ptr<EglGbm> e(new EglGbm());
    e->display_ = eglGetPlatformDisplay(EGL_PLATFORM_GBM_KHR, gbm, nullptr);
    if (e->display_ == EGL_NO_DISPLAY)
        return fail("eglGetPlatformDisplay");
    EGLint major = 0, minor = 0;
    if (!eglInitialize(e->display_, &major, &minor)) {
        e->display_ = EGL_NO_DISPLAY; // nothing to terminate
        return fail("eglInitialize");
    }
    const char* vendor = eglQueryString(e->display_, EGL_VENDOR);
    e->vendor_ = "EGL " + std::to_string(major) + "." + std::to_string(minor) + " (" +
                 (vendor ? vendor : "?") + ")";
    if (!eglBindAPI(EGL_OPENGL_ES_API))
        return fail("eglBindAPI(EGL_OPENGL_ES_API)");
    const char* ext = eglQueryString(e->display_, EGL_EXTENSIONS);
    if (!window && !has_extension(ext, "EGL_KHR_surfaceless_context"))
        return Error{"kms: EGL on the GBM platform has no EGL_KHR_surfaceless_context", ENOTSUP};
    e->buffer_age_ = window && has_extension(ext, "EGL_EXT_buffer_age");

    const EGLint want[] = {EGL_SURFACE_TYPE,
                           window ? EGL_WINDOW_BIT : 0,
                           EGL_RED_SIZE,
                           8,
                           EGL_GREEN_SIZE,
                           8,
                           EGL_BLUE_SIZE,
                           8,
                           EGL_ALPHA_SIZE,
                           0,
                           EGL_RENDERABLE_TYPE,
                           EGL_OPENGL_ES2_BIT,
                           EGL_NONE};
    EGLint count = 0;
    if (!eglChooseConfig(e->display_, want, nullptr, 0, &count) || count <= 0)
        return fail("eglChooseConfig (8-bit RGB, GLES 2)");
    std::vector<EGLConfig> configs(size_t(count), nullptr);
    eglChooseConfig(e->display_, want, configs.data(), count, &count);
    for (EGLint i = 0; i < count && !e->config_; ++i) {
        EGLint visual = 0;
        if (eglGetConfigAttrib(e->display_, configs[size_t(i)], EGL_NATIVE_VISUAL_ID, &visual) &&
            uint32_t(visual) == format)
            e->config_ = configs[size_t(i)];
    }
    if (!e->config_)
        return Error{"kms: no EGL config on the GBM platform renders into XRGB8888 scanout "
                     "buffers (EGL_NATIVE_VISUAL_ID); use --kms-path copy",
                     ENOTSUP};

    for (EGLint version : {3, 2}) {
        const EGLint attribs[] = {EGL_CONTEXT_MAJOR_VERSION, version, EGL_NONE};
        e->context_ = eglCreateContext(e->display_, e->config_, EGL_NO_CONTEXT, attribs);
        if (e->context_ != EGL_NO_CONTEXT)
            break;
    }
    if (e->context_ == EGL_NO_CONTEXT)
        return fail("eglCreateContext (GLES 3 or 2)");
    if (window) {
        e->surface_ = eglCreatePlatformWindowSurface(e->display_, e->config_, window, nullptr);
        if (e->surface_ == EGL_NO_SURFACE)
            return fail("eglCreatePlatformWindowSurface");
    }
    if (Status s = e->make_current(); !s)
        return s.error();
    return e;
}

EglGbm::~EglGbm() {
    if (display_ == EGL_NO_DISPLAY)
        return;
    eglMakeCurrent(display_, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
    if (surface_ != EGL_NO_SURFACE)
        eglDestroySurface(display_, surface_);
    if (context_ != EGL_NO_CONTEXT)
        eglDestroyContext(display_, context_);
    eglTerminate(display_);
    eglReleaseThread();
}

Status EglGbm::make_current() const {
    if (!eglMakeCurrent(display_, surface_, surface_, context_))
        return fail("eglMakeCurrent");
    return {};
}

int EglGbm::buffer_age() const {
    EGLint age = 0;
    if (!buffer_age_ || !eglQuerySurface(display_, surface_, EGL_BUFFER_AGE_EXT, &age))
        return 0;
    return age;
}

Status EglGbm::swap() const {
    if (!eglSwapBuffers(display_, surface_))
        return fail("eglSwapBuffers");
    return {};
}

std::string EglGbm::describe() const {
    return vendor_;
}

} // namespace udmaview::kms
