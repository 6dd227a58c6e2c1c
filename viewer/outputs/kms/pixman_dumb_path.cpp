// SPDX-License-Identifier: MIT
#include "outputs/kms/pixman_dumb_path.h"

#include <cerrno>
#include <utility>

#include "render/pixman_format.h"
#include "udmaview/clock.h"

namespace udmaview::kms {

namespace {

constexpr uint32_t xrgb8888 = make_fourcc('X', 'R', '2', '4');

Placement full_screen(const DumbTarget& t) {
    const Rect screen{0, 0, int32_t(t.mode.hdisplay), int32_t(t.mode.vdisplay)};
    return {screen, screen};
}

} // namespace

PixmanDumbPath::PixmanDumbPath(PixmanPathOptions options)
    : options_(options)
    , scene_(options.tiles, options.scale, options.linear) {}

Status PixmanDumbPath::make_buffers(const DumbTarget& t, const Layout& l) {
    // One source in a format the plane scans out: drawn without conversion.
    const Format* src = l.format;
    const Format* format = options_.tiles <= 1 && src && src->bytes_per_pixel == 4 &&
                                   t.plane.supports(src->fourcc) &&
                                   pixman_target_format(src->fourcc)
                               ? src
                               : find_format(xrgb8888);
    Result<DumbSwapchain> chain =
        DumbSwapchain::create(t.dev, t.mode.hdisplay, t.mode.vdisplay, format);
    if (!chain)
        return chain.error();
    chain_ = std::move(*chain);
    const RenderTarget target = chain_.target(0);
    if (!renderer_) {
        Result<std::unique_ptr<PixmanRenderer>> r = PixmanRenderer::create(target);
        if (!r)
            return Error{"kms: the cpu path cannot draw into a dumb buffer on " + t.dev.describe() +
                             ": " + r.error().message,
                         r.error().errnum};
        renderer_ = std::move(*r);
    } else if (Status s = renderer_->set_target(target); !s) {
        return Error{"kms: the cpu path: " + s.error().message, s.error().errnum};
    }
    scene_.resize(t.mode.hdisplay, t.mode.vdisplay);
    scene_.invalidate();
    return {};
}

Status PixmanDumbPath::update(const DumbTarget& t, const Frame& frame, SubmitStats& stats) {
    if (!chain_.valid())
        if (Status s = make_buffers(t, frame.buffer->layout()); !s)
            return s;
    // The renderer counts the source's damage; what this path writes is counted in present().
    SubmitStats mapped;
    if (Status s = renderer_->update(frame, mapped); !s)
        return Error{"kms: " + s.error().message, s.error().errnum};
    stats.imports += mapped.imports;
    stats.imported_ns = now_ns();
    Frame shown = frame;
    if (options_.tiles <= 1)
        shown.source = 0; // one picture: whichever source it came from
    scene_.frame_shown(shown);
    return {};
}

Status PixmanDumbPath::draw_into(int index, SubmitStats& stats) {
    const Rect screen{0, 0, int32_t(scene_.width()), int32_t(scene_.height())};
    const Region draw = chain_.take_pending(index).intersected(screen);
    if (draw.empty())
        return {};
    if (Status s = renderer_->set_target(chain_.target(index)); !s)
        return Error{"kms: the cpu path: " + s.error().message, s.error().errnum};
    if (Status s = renderer_->draw(scene_, draw); !s)
        return Error{"kms: the cpu path: " + s.error().message, s.error().errnum};
    if (index == chain_.back())
        drawn_.add(draw);
    drawn_pixels_ += uint64_t(draw.area());
    stats.bytes_copied += uint64_t(draw.area()) * chain_.format()->bytes_per_pixel;
    return {};
}

Status PixmanDumbPath::draw(bool whole, SubmitStats& stats) {
    if (!chain_.valid() || !renderer_)
        return Error{"kms: the cpu path drew before a frame made its buffers", EINVAL};
    if (whole)
        scene_.invalidate(); // the screen shows none of ours
    chain_.add_damage(scene_.damage());
    scene_.clear_damage();
    const int back = chain_.back();
    if (Status s = draw_into(back, stats); !s)
        return s;
    // Whole: the other buffer too, so that later frames redraw only what they declare (a
    // change declared nowhere stays off screen, as on the plane).
    return whole ? draw_into(back == 0 ? 1 : 0, stats) : Status{};
}

Result<Shown> PixmanDumbPath::prepare(const DumbTarget& t, bool modeset) {
    if (!chain_.valid())
        return Error{"kms: the cpu path presented before a frame made its buffers", EINVAL};
    const Region drawn = std::exchange(drawn_, Region());
    const int back = chain_.back();
    Shown shown;
    shown.placement = full_screen(t);
    shown.picture = placement();
    if (!modeset && drawn.empty())
        return shown;
    shown.fb_id = chain_.fb(back);
    shown.flip.dumb_index = back;
    if (!modeset)
        shown.clips =
            damage_clips(drawn, t.mode.hdisplay, t.mode.vdisplay, chain_.pitch(back), t.quirks);
    return shown;
}

void PixmanDumbPath::forget(BufferId id) {
    if (renderer_)
        renderer_->retire(id);
}

void PixmanDumbPath::reset(Scanout& scanout) {
    scanout.retire(chain_.take_framebuffers());
    chain_ = DumbSwapchain();
    drawn_ = Region();
}

void PixmanDumbPath::clear() {
    chain_ = DumbSwapchain();
    drawn_ = Region();
    renderer_.reset();
    scene_ = Scene(options_.tiles, options_.scale, options_.linear);
}

std::vector<std::pair<std::string, uint64_t>> PixmanDumbPath::counters() const {
    return {{"pixman_drawn_pixels", drawn_pixels_},
            {"pixman_buffers", renderer_ ? renderer_->cached_buffers() : 0}};
}

} // namespace udmaview::kms
