// SPDX-License-Identifier: MIT
#pragma once

#include <EGL/egl.h>
#include <EGL/eglext.h>
#include <GLES3/gl3.h>
#include <utility>

namespace udmaview {

// Owns one GL object name; deletes it exactly once. Needs the context that made it to be
// current when it is destroyed (the renderer is destroyed before its context).
template <void (*Delete)(GLuint)> class GlName {
public:
    GlName() = default;
    explicit GlName(GLuint id)
        : id_(id) {}
    GlName(GlName&& o) noexcept
        : id_(std::exchange(o.id_, 0)) {}
    GlName& operator=(GlName&& o) noexcept {
        if (this != &o) {
            reset();
            id_ = std::exchange(o.id_, 0);
        }
        return *this;
    }
    GlName(const GlName&) = delete;
    GlName& operator=(const GlName&) = delete;
    ~GlName() { reset(); }

    GLuint get() const { return id_; }
    explicit operator bool() const { return id_ != 0; }
    void reset() {
        if (id_)
            Delete(id_);
        id_ = 0;
    }

private:
    GLuint id_ = 0;
};

namespace gl_detail {
inline void delete_texture(GLuint id) {
    glDeleteTextures(1, &id);
}
inline void delete_buffer(GLuint id) {
    glDeleteBuffers(1, &id);
}
inline void delete_shader(GLuint id) {
    glDeleteShader(id);
}
inline void delete_program(GLuint id) {
    glDeleteProgram(id);
}
inline void delete_framebuffer(GLuint id) {
    glDeleteFramebuffers(1, &id);
}
inline void delete_renderbuffer(GLuint id) {
    glDeleteRenderbuffers(1, &id);
}
} // namespace gl_detail

using GlTexture = GlName<gl_detail::delete_texture>;
using GlBuffer = GlName<gl_detail::delete_buffer>;
using GlShader = GlName<gl_detail::delete_shader>;
using GlProgram = GlName<gl_detail::delete_program>;
using GlFramebuffer = GlName<gl_detail::delete_framebuffer>;
using GlRenderbuffer = GlName<gl_detail::delete_renderbuffer>;

inline GlTexture make_texture() {
    GLuint id = 0;
    glGenTextures(1, &id);
    return GlTexture(id);
}
inline GlBuffer make_buffer() {
    GLuint id = 0;
    glGenBuffers(1, &id);
    return GlBuffer(id);
}

// Owns an EGLImage; destroys it through the display's eglDestroyImageKHR.
class EglImage {
public:
    EglImage() = default;
    EglImage(EGLDisplay display, EGLImageKHR image, PFNEGLDESTROYIMAGEKHRPROC destroy)
        : display_(display)
        , image_(image)
        , destroy_(destroy) {}
    EglImage(EglImage&& o) noexcept
        : display_(o.display_)
        , image_(std::exchange(o.image_, EGL_NO_IMAGE_KHR))
        , destroy_(o.destroy_) {}
    EglImage& operator=(EglImage&& o) noexcept {
        if (this != &o) {
            reset();
            display_ = o.display_;
            image_ = std::exchange(o.image_, EGL_NO_IMAGE_KHR);
            destroy_ = o.destroy_;
        }
        return *this;
    }
    EglImage(const EglImage&) = delete;
    EglImage& operator=(const EglImage&) = delete;
    ~EglImage() { reset(); }

    EGLImageKHR get() const { return image_; }
    explicit operator bool() const { return image_ != EGL_NO_IMAGE_KHR; }
    void reset() {
        if (image_ != EGL_NO_IMAGE_KHR && destroy_)
            destroy_(display_, image_);
        image_ = EGL_NO_IMAGE_KHR;
    }

private:
    EGLDisplay display_ = EGL_NO_DISPLAY;
    EGLImageKHR image_ = EGL_NO_IMAGE_KHR;
    PFNEGLDESTROYIMAGEKHRPROC destroy_ = nullptr;
};

} // namespace udmaview
