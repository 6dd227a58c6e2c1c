// SPDX-License-Identifier: MIT
#include "outputs/headless/headless_gl.h"

#include <cerrno>
#include <iostream>

#include "udmaview/clock.h"

namespace udmaview {

Result<std::unique_ptr<HeadlessGlView>> HeadlessGlView::create(HeadlessGlOptions options) {
    std::unique_ptr<HeadlessGlView> v(new HeadlessGlView(options));
    Result<std::unique_ptr<EglDeviceDisplay>> egl =
        EglDeviceDisplay::open(EglDevicePick::Preferred);
    if (!egl)
        return Error{"headless --render gl: " + egl.error().message, egl.error().errnum};
    v->egl_ = std::move(*egl);
    const RendererOptions ro{.scale = options.scale,
                             .linear = options.linear,
                             .allow_import = options.allow_import,
                             .import_memfd = v->egl_->software(),
                             .verbose = options.verbose};
    Result<std::unique_ptr<GlesRenderer>> r = GlesRenderer::create(v->egl_->display(), ro);
    if (!r)
        return Error{"headless --render gl: " + r.error().message, r.error().errnum};
    v->renderer_ = std::move(*r);
    if (options.verbose)
        std::cerr << "headless: gl render on " << v->describe() << "\n";
    return v;
}

HeadlessGlView::~HeadlessGlView() {
    // GL names go while their context is current, before the display is terminated.
    if (egl_ && egl_->make_current()) {
        target_.reset();
        renderer_.reset();
    }
}

Status HeadlessGlView::submit(const Frame& frame, SubmitStats& stats) {
    if (Status s = egl_->make_current(); !s)
        return s;
    if (Status s = renderer_->update(frame, stats); !s)
        return Error{"headless: " + s.error().message, s.error().errnum};
    const bool imported = renderer_->current_path() == "dma-buf import";
    stats.path = imported ? "gl-import" : "gl-upload";
    ++(imported ? imported_frames_ : uploaded_frames_);
    // A frame sampled from a dma-buf (a udmabuf), not from the memfd the host falls back to.
    if (imported && frame.buffer->dmabuf())
        ++imported_dmabuf_frames_;
    if (!target_) {
        const Layout& l = frame.buffer->layout();
        const uint32_t w = options_.width ? options_.width : l.width;
        const uint32_t h = options_.height ? options_.height : l.height;
        Result<OffscreenTarget> t = OffscreenTarget::create(w, h);
        if (!t)
            return Error{"headless: " + t.error().message, t.error().errnum};
        target_ = std::make_unique<OffscreenTarget>(std::move(*t));
    }
    target_->bind();
    renderer_->draw(target_->width(), target_->height());
    renderer_->clear_damage();
    // The draw is done when the frame counts as presented: its cost belongs to this frame.
    glFinish();
    stats.submitted_ns = now_ns();
    if (const GLenum err = glGetError(); err != GL_NO_ERROR)
        return Error{"headless: drawing frame " + std::to_string(frame.seq) + " on " + describe() +
                         " failed (GL error " + std::to_string(err) + ")",
                     EIO};
    return {};
}

void HeadlessGlView::retire(BufferId id) {
    if (egl_->make_current())
        renderer_->retire(id);
}

Result<RgbaImage> HeadlessGlView::read() {
    if (Status s = egl_->make_current(); !s)
        return s.error();
    if (!target_)
        return Error{"headless: nothing was drawn", ENODATA};
    target_->bind();
    return renderer_->read_pixels(target_->width(), target_->height());
}

std::vector<std::pair<std::string, uint64_t>> HeadlessGlView::counters() const {
    return {{"gl_device_software", egl_->software() ? 1 : 0},
            {"egl_dma_buf_import", renderer_->can_import() ? 1 : 0},
            {"gl_import_frames", imported_frames_},
            {"gl_import_dmabuf_frames", imported_dmabuf_frames_},
            {"gl_upload_frames", uploaded_frames_},
            {"gl_textures", renderer_->cached_textures()}};
}

std::string HeadlessGlView::describe() const {
    return egl_->describe() + ", " + renderer_->gl_renderer();
}

} // namespace udmaview
