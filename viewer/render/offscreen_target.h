// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>

#include "render/gl_objects.h"
#include "udmaview/error.h"

namespace udmaview {

// A framebuffer object to draw into without a window: its colour is a renderbuffer of its own
// (RGBA8), or an EGLImage (e.g. a scanout buffer's dma-buf imported through EGL) so the draw
// lands in that buffer's memory. Needs the GLES context current that made it.
class OffscreenTarget {
public:
    static Result<OffscreenTarget> create(uint32_t width, uint32_t height);
    // image must outlive the target.
    static Result<OffscreenTarget> wrap(EGLImageKHR image, uint32_t width, uint32_t height);

    void bind() const;
    uint32_t width() const { return width_; }
    uint32_t height() const { return height_; }

private:
    static Result<OffscreenTarget> finish(OffscreenTarget t);

    GlRenderbuffer colour_;
    GlFramebuffer fbo_;
    uint32_t width_ = 0, height_ = 0;
};

} // namespace udmaview
