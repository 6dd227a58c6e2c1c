// SPDX-License-Identifier: MIT
// What the GLES tests draw with: Mesa's surfaceless EGL platform (llvmpipe) and a framebuffer
// object to draw into and read back. No window, no X.
#pragma once

#include <EGL/egl.h>
#include <EGL/eglext.h>
#include <GLES3/gl3.h>
#include <string>
#include <string_view>

#include "render/gles_renderer.h"

namespace udmaview::test {

// A surfaceless EGL display + GLES 3 context, current for the test's lifetime.
class SurfacelessContext {
public:
    SurfacelessContext() {
        auto get_platform_display = reinterpret_cast<PFNEGLGETPLATFORMDISPLAYEXTPROC>(
            eglGetProcAddress("eglGetPlatformDisplayEXT"));
        const char* client = eglQueryString(EGL_NO_DISPLAY, EGL_EXTENSIONS);
        if (!get_platform_display || !client ||
            std::string_view(client).find("EGL_MESA_platform_surfaceless") ==
                std::string_view::npos) {
            why_ = "no EGL_MESA_platform_surfaceless";
            return;
        }
        display_ =
            get_platform_display(EGL_PLATFORM_SURFACELESS_MESA, EGL_DEFAULT_DISPLAY, nullptr);
        if (display_ == EGL_NO_DISPLAY || !eglInitialize(display_, nullptr, nullptr)) {
            why_ = "surfaceless EGL display does not initialise";
            display_ = EGL_NO_DISPLAY;
            return;
        }
        eglBindAPI(EGL_OPENGL_ES_API);
        const EGLint attribs[] = {EGL_CONTEXT_MAJOR_VERSION, 3, EGL_NONE};
        context_ = eglCreateContext(display_, EGL_NO_CONFIG_KHR, EGL_NO_CONTEXT, attribs);
        if (context_ == EGL_NO_CONTEXT ||
            !eglMakeCurrent(display_, EGL_NO_SURFACE, EGL_NO_SURFACE, context_)) {
            why_ = "no surfaceless GLES 3 context";
            return;
        }
        ok_ = true;
    }
    ~SurfacelessContext() {
        if (display_ != EGL_NO_DISPLAY) {
            eglMakeCurrent(display_, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
            if (context_ != EGL_NO_CONTEXT)
                eglDestroyContext(display_, context_);
            eglTerminate(display_);
        }
    }
    bool ok() const { return ok_; }
    const std::string& why() const { return why_; }
    EGLDisplay display() const { return display_; }

private:
    EGLDisplay display_ = EGL_NO_DISPLAY;
    EGLContext context_ = EGL_NO_CONTEXT;
    bool ok_ = false;
    std::string why_;
};

// A colour attachment to draw into and read back.
class Target {
public:
    Target(uint32_t w, uint32_t h)
        : w_(w)
        , h_(h) {
        glGenRenderbuffers(1, &rb_);
        glBindRenderbuffer(GL_RENDERBUFFER, rb_);
        glRenderbufferStorage(GL_RENDERBUFFER, GL_RGBA8, GLsizei(w), GLsizei(h));
        glGenFramebuffers(1, &fb_);
        glBindFramebuffer(GL_FRAMEBUFFER, fb_);
        glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER, rb_);
    }
    ~Target() {
        glBindFramebuffer(GL_FRAMEBUFFER, 0);
        glDeleteFramebuffers(1, &fb_);
        glDeleteRenderbuffers(1, &rb_);
    }
    bool complete() const {
        return glCheckFramebufferStatus(GL_FRAMEBUFFER) == GL_FRAMEBUFFER_COMPLETE;
    }
    RgbaImage draw(GlesRenderer& r) {
        r.draw(w_, h_);
        return r.read_pixels(w_, h_);
    }

private:
    uint32_t w_, h_;
    GLuint rb_ = 0, fb_ = 0;
};

} // namespace udmaview::test
