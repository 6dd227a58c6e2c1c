// SPDX-License-Identifier: MIT
#include "render/offscreen_target.h"

#include <GLES2/gl2ext.h> // after gl3.h (gl_objects.h), which defines GL_APIENTRY
#include <cerrno>
#include <string>

namespace udmaview {

namespace {

std::string size_text(uint32_t w, uint32_t h) {
    return std::to_string(w) + "x" + std::to_string(h);
}

GlRenderbuffer make_renderbuffer() {
    GLuint id = 0;
    glGenRenderbuffers(1, &id);
    return GlRenderbuffer(id);
}

} // namespace

Result<OffscreenTarget> OffscreenTarget::create(uint32_t width, uint32_t height) {
    OffscreenTarget t;
    t.width_ = width;
    t.height_ = height;
    t.colour_ = make_renderbuffer();
    while (glGetError() != GL_NO_ERROR) {
    }
    glBindRenderbuffer(GL_RENDERBUFFER, t.colour_.get());
    glRenderbufferStorage(GL_RENDERBUFFER, GL_RGBA8, GLsizei(width), GLsizei(height));
    if (glGetError() != GL_NO_ERROR)
        return Error{"egl: cannot make a " + size_text(width, height) +
                         " RGBA8 renderbuffer (too large for GL_MAX_RENDERBUFFER_SIZE, or out "
                         "of memory)",
                     ENOMEM};
    return finish(std::move(t));
}

Result<OffscreenTarget> OffscreenTarget::wrap(EGLImageKHR image, uint32_t width, uint32_t height) {
    auto storage = reinterpret_cast<PFNGLEGLIMAGETARGETRENDERBUFFERSTORAGEOESPROC>(
        eglGetProcAddress("glEGLImageTargetRenderbufferStorageOES"));
    if (!storage)
        return Error{"egl: no glEGLImageTargetRenderbufferStorageOES (GL_OES_EGL_image): "
                     "cannot draw into an imported buffer",
                     ENOTSUP};
    OffscreenTarget t;
    t.width_ = width;
    t.height_ = height;
    t.colour_ = make_renderbuffer();
    while (glGetError() != GL_NO_ERROR) {
    }
    glBindRenderbuffer(GL_RENDERBUFFER, t.colour_.get());
    storage(GL_RENDERBUFFER, image);
    if (glGetError() != GL_NO_ERROR)
        return Error{"egl: the driver refused an imported " + size_text(width, height) +
                         " buffer as a renderbuffer (glEGLImageTargetRenderbufferStorageOES)",
                     ENOTSUP};
    return finish(std::move(t));
}

Result<OffscreenTarget> OffscreenTarget::finish(OffscreenTarget t) {
    t.fbo_ = [] {
        GLuint id = 0;
        glGenFramebuffers(1, &id);
        return GlFramebuffer(id);
    }();
    glBindFramebuffer(GL_FRAMEBUFFER, t.fbo_.get());
    glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER,
                              t.colour_.get());
    if (const GLenum status = glCheckFramebufferStatus(GL_FRAMEBUFFER);
        status != GL_FRAMEBUFFER_COMPLETE)
        return Error{"egl: a " + size_text(t.width_, t.height_) +
                         " framebuffer object is incomplete (status " + std::to_string(status) +
                         ")",
                     EIO};
    return t;
}

void OffscreenTarget::bind() const {
    glBindFramebuffer(GL_FRAMEBUFFER, fbo_.get());
}

} // namespace udmaview
