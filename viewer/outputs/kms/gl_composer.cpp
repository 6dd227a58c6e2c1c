// SPDX-License-Identifier: MIT
#include "outputs/kms/gl_composer.h"

#include <cerrno>

#include "udmaview/clock.h"

namespace udmaview::kms {

namespace {

constexpr uint32_t xrgb8888 = make_fourcc('X', 'R', '2', '4');
// Mesa keeps up to four buffers per GBM surface: older ages are a full redraw anyway.
constexpr size_t max_history = 4;

} // namespace

Result<std::unique_ptr<GlComposer>> GlComposer::create(const DrmDevice& dev, uint32_t width,
                                                       uint32_t height, RendererOptions options,
                                                       bool hud, uint32_t tiles) {
    std::unique_ptr<GlComposer> c(new GlComposer());
    if (tiles > 1)
        c->tiles_ = std::make_unique<TileCompositor>(tiles, options.scale);
    c->width_ = width;
    c->height_ = height;
    c->linear_ = options.linear;
    Result<std::unique_ptr<GbmDevice>> gbm = GbmDevice::create(dev);
    if (!gbm)
        return gbm.error();
    c->gbm_ = std::move(*gbm);
    Result<std::unique_ptr<GbmScanoutSurface>> surface =
        GbmScanoutSurface::create(*c->gbm_, width, height, xrgb8888);
    if (!surface)
        return surface.error();
    c->surface_ = std::move(*surface);
    Result<std::unique_ptr<EglGbm>> egl =
        EglGbm::create(c->gbm_->get(), c->surface_->get(), xrgb8888);
    if (!egl)
        return egl.error();
    c->egl_ = std::move(*egl);
    Result<std::unique_ptr<GlesRenderer>> renderer =
        GlesRenderer::create(c->egl_->display(), options);
    if (!renderer)
        return Error{"kms: " + renderer.error().message, renderer.error().errnum};
    c->renderer_ = std::move(*renderer);
    if (hud) {
        Result<std::unique_ptr<HudLayer>> layer = HudLayer::create(true);
        if (!layer)
            return Error{"kms: --hud: " + layer.error().message, layer.error().errnum};
        c->hud_ = std::move(*layer);
    }
    return c;
}

GlComposer::~GlComposer() {
    if (egl_)
        (void)egl_->make_current();
    hud_.reset();
    cursor_.reset();
    renderer_.reset();
    if (surface_) {
        surface_->release(queued_.bo);
        surface_->release(screen_.bo);
    }
}

std::string GlComposer::describe() const {
    return egl_->describe() + ", " + renderer_->gl_renderer() + ", " + renderer_->gl_version() +
           (egl_->has_buffer_age() ? ", buffer age" : ", no buffer age");
}

Rect GlComposer::viewport() const {
    return renderer_->viewport(width_, height_);
}

Region GlComposer::redraw_region(const Region& damage, bool whole) {
    const Rect screen{0, 0, int32_t(width_), int32_t(height_)};
    const int age = whole ? 0 : egl_->buffer_age();
    Region redraw = damage;
    if (age <= 0 || size_t(age) > history_.size() + 1) {
        redraw = Region(screen);
    } else {
        for (int i = 0; i + 1 < age; ++i)
            redraw.add(history_[size_t(i)]);
    }
    history_.push_front(whole ? Region(screen) : damage);
    if (history_.size() > max_history)
        history_.pop_back();
    return redraw;
}

Status GlComposer::update(const Frame& frame, SubmitStats& stats) {
    if (Status s = egl_->make_current(); !s)
        return s;
    if (Status s = renderer_->update(frame, stats); !s)
        return Error{"kms: " + s.error().message, s.error().errnum};
    stats.path = importing() ? "gl-import" : "gl-upload";
    if (tiles_)
        tiles_->frame_shown(frame);
    return {};
}

Result<GlComposer::Composed> GlComposer::compose(const Frame& frame, bool whole,
                                                 SubmitStats& stats) {
    if (Status s = update(frame, stats); !s)
        return s.error();
    return compose(whole);
}

Result<GlComposer::Composed> GlComposer::compose(bool whole) {
    if (Status s = egl_->make_current(); !s)
        return s.error();
    if (whole) {
        renderer_->invalidate_view();
        if (tiles_)
            tiles_->invalidate();
    }
    Composed out;
    if (tiles_) {
        out.damage = tiles_->window_damage(*renderer_, width_, height_);
        tiles_->clear_damage();
    } else {
        out.damage = renderer_->window_damage(width_, height_);
    }
    renderer_->clear_damage();
    for (const Rect& r : hud_damage_.rects())
        out.damage.add(r);
    hud_damage_ = Region();
    const Rect screen{0, 0, int32_t(width_), int32_t(height_)};
    out.whole = whole || out.damage.bounds() == screen;
    if (out.damage.empty())
        return out;
    // Only the rectangle the back buffer lacks is drawn: the rest of it is that picture
    // already (buffer age), and llvmpipe's cost is per pixel drawn.
    const Rect r = redraw_region(out.damage, out.whole).bounds();
    glEnable(GL_SCISSOR_TEST);
    glScissor(r.x, int32_t(height_) - r.bottom(), r.w, r.h);
    if (tiles_) {
        // Several sources: the pointer belongs to one guest's tile; not drawn there yet.
        tiles_->draw(*renderer_, width_, height_, r);
    } else {
        renderer_->draw(width_, height_);
        if (cursor_ && renderer_->current_layout()) {
            const Layout& l = *renderer_->current_layout();
            cursor_->draw(viewport(), l.width, l.height, width_, height_);
        }
    }
    if (hud_)
        hud_->draw(height_);
    glDisable(GL_SCISSOR_TEST);
    if (Status s = egl_->swap(); !s)
        return s.error();
    Result<GbmScanoutSurface::Front> front = surface_->lock_front();
    if (!front)
        return front.error();
    surface_->release(queued_.bo); // a flip that never went out
    queued_ = {front->bo, front->fb_id};
    out.fb_id = front->fb_id;
    out.pitch = front->pitch;
    return out;
}

void GlComposer::shown(uint32_t fb_id, uint64_t presented_ns) {
    if (!queued_.bo || queued_.fb_id != fb_id)
        return;
    if (hud_ && !hud_pending_.empty() && hud_pending_fb_ == fb_id) {
        hud_->hud().record(hud_pending_, presented_ns);
        hud_pending_.clear();
        // After the flip is reported: the overlay's new image goes out with the next frame.
        if (egl_->make_current() && hud_->update(now_ns()))
            hud_damage_.add(hud_->rect(width_, height_));
    }
    if (screen_.bo != queued_.bo)
        surface_->release(screen_.bo);
    screen_ = queued_;
    queued_ = {};
}

void GlComposer::dropped(uint32_t fb_id) {
    if (queued_.bo && queued_.fb_id == fb_id) {
        surface_->release(queued_.bo);
        queued_ = {};
        hud_pending_.clear();
        history_.clear(); // the next back buffer's age counts a swap nobody saw
    }
}

void GlComposer::hud_frame(const PendingFrame& frame) {
    if (!hud_ || !queued_.bo)
        return;
    if (hud_pending_fb_ != queued_.fb_id)
        hud_pending_.clear(); // frames of a buffer that never went out
    hud_pending_fb_ = queued_.fb_id;
    hud_pending_.push_back(frame);
}

Status GlComposer::toggle_hud() {
    if (Status s = egl_->make_current(); !s)
        return s;
    if (!hud_) {
        Result<std::unique_ptr<HudLayer>> hud = HudLayer::create(false);
        if (!hud)
            return Error{"kms: --hud: " + hud.error().message, hud.error().errnum};
        hud_ = std::move(*hud);
    }
    hud_damage_.add(hud_->rect(width_, height_)); // the area it covered, when hiding
    hud_->toggle();
    hud_damage_.add(hud_->rect(width_, height_));
    return {};
}

std::vector<std::pair<std::string, uint64_t>> GlComposer::hud_counters() const {
    return hud_ ? hud_->counters() : std::vector<std::pair<std::string, uint64_t>>{};
}

Rect GlComposer::cursor_rect() const {
    const Layout* l = renderer_->current_layout();
    return cursor_ && l ? cursor_->rect(viewport(), l->width, l->height, width_, height_) : Rect{};
}

Status GlComposer::set_cursor(const CursorState& state) {
    if (tiles_ || (!cursor_ && !state.image))
        return {}; // tiles: not drawn (see compose); no pointer yet: no layer (a compile)
    if (Status s = egl_->make_current(); !s)
        return s;
    if (!cursor_) {
        Result<std::unique_ptr<CursorLayer>> layer = CursorLayer::create(linear_);
        if (!layer)
            return Error{"kms: the guest pointer: " + layer.error().message, layer.error().errnum};
        cursor_ = std::move(*layer);
    }
    hud_damage_.add(cursor_rect()); // where it was
    cursor_->set(state);
    hud_damage_.add(cursor_rect());
    return {};
}

void GlComposer::enable_import() {
    if (egl_->make_current())
        renderer_->enable_import();
}

void GlComposer::retire(BufferId id) {
    if (egl_->make_current())
        renderer_->retire(id);
}

} // namespace udmaview::kms
