// SPDX-License-Identifier: MIT
#include "outputs/headless/headless_pixman.h"

#include <cerrno>

#include "udmaview/clock.h"
#include "udmaview/format.h"

namespace udmaview {

namespace {

constexpr uint32_t target_fourcc = make_fourcc('X', 'R', '2', '4');

} // namespace

Status HeadlessPixmanView::make_target(const Frame& frame) {
    const Layout& l = frame.buffer->layout();
    width_ = options_.width ? options_.width : l.width;
    height_ = options_.height ? options_.height : l.height;
    pixels_.assign(size_t(width_) * height_, 0);
    const RenderTarget target{.pixels = reinterpret_cast<uint8_t*>(pixels_.data()),
                              .stride = width_ * 4,
                              .width = width_,
                              .height = height_,
                              .fourcc = target_fourcc};
    Result<std::unique_ptr<PixmanRenderer>> r = PixmanRenderer::create(target);
    if (!r)
        return Error{"headless --render pixman: " + r.error().message, r.error().errnum};
    renderer_ = std::move(*r);
    scene_.emplace(1, options_.scale, options_.linear);
    scene_->resize(width_, height_);
    scene_->set_pointer(pointer_);
    return {};
}

Status HeadlessPixmanView::submit(const Frame& frame, SubmitStats& stats) {
    if (!renderer_)
        if (Status s = make_target(frame); !s)
            return s;
    if (Status s = renderer_->update(frame, stats); !s)
        return Error{"headless: " + s.error().message, s.error().errnum};
    stats.imported_ns = now_ns();
    Frame shown = frame;
    shown.source = 0; // one picture: every source draws into tile 0
    scene_->frame_shown(shown);
    const Region& damage = scene_->damage(); // cleared only after it is drawn and counted
    if (Status s = renderer_->draw(*scene_, damage); !s)
        return Error{"headless: drawing frame " + std::to_string(frame.seq) + ": " +
                         s.error().message,
                     s.error().errnum};
    drawn_pixels_ += damage.area();
    scene_->clear_damage();
    stats.submitted_ns = now_ns();
    return {};
}

void HeadlessPixmanView::retire(BufferId id) {
    if (renderer_)
        renderer_->retire(id);
}

void HeadlessPixmanView::set_pointer(const CursorState& pointer) {
    pointer_ = pointer; // a pointer set before the first frame applies to its scene
    if (scene_)
        scene_->set_pointer(pointer);
}

Result<RgbaImage> HeadlessPixmanView::read() const {
    if (!renderer_)
        return Error{"headless: nothing was drawn", ENODATA};
    const Layout layout{.width = width_,
                        .height = height_,
                        .stride = width_ * 4,
                        .format = find_format(target_fourcc)};
    return to_rgba(layout, reinterpret_cast<const uint8_t*>(pixels_.data()));
}

std::vector<std::pair<std::string, uint64_t>> HeadlessPixmanView::counters() const {
    return {{"pixman_drawn_pixels", drawn_pixels_},
            {"pixman_buffers", renderer_ ? renderer_->cached_buffers() : 0}};
}

} // namespace udmaview
