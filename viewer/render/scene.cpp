// SPDX-License-Identifier: MIT
#include "render/scene.h"

#include <algorithm>
#include <cmath>
#include <string_view>

#include "render/hud.h"

namespace udmaview {

Scene::Scene(size_t tiles, ScaleMode scale, bool linear)
    : scale_(scale)
    , linear_(linear)
    , pictures_(std::max<size_t>(tiles, 1)) {}

void Scene::resize(uint32_t width, uint32_t height) {
    if (width == width_ && height == height_)
        return;
    width_ = width;
    height_ = height;
    invalidate();
}

void Scene::invalidate() {
    damage_ = Region(target());
}

void Scene::damage_tile(size_t i) {
    if (tiles() == 1) {
        damage_.add(target());
        return;
    }
    const std::vector<Rect> rects = tile_rects(tiles(), width_, height_, mode_, focus_);
    damage_.add(rects[i]);
}

void Scene::frame_shown(const Frame& frame) {
    const size_t i = frame.source;
    if (i >= tiles() || !frame.buffer)
        return;
    const Layout& l = frame.buffer->layout();
    const std::shared_ptr<const Buffer> before = pictures_[i].buffer;
    pictures_[i].buffer = frame.buffer;
    if (!before || before->layout().width != l.width || before->layout().height != l.height ||
        before->layout().y0_top != l.y0_top) {
        damage_tile(i);
        return;
    }
    Region damage;
    const Region changed = frame.damage.intersected(l.bounds());
    for (const Rect& r : changed.rects())
        damage.add(l.y0_top ? r : Rect{r.x, int32_t(l.height) - r.bottom(), r.w, r.h});
    damage_.add(
        source_to_window(damage, picture_rect(i), l.width, l.height, width_, height_, linear_)
            .intersected(area(i)));
}

void Scene::set_ended(uint32_t source) {
    if (source < tiles() && !pictures_[source].ended) {
        pictures_[source].ended = true;
        damage_tile(source);
    }
}

void Scene::move_focus(int step) {
    const int n = int(tiles());
    focus_ = uint32_t(((int(focus_) + step) % n + n) % n);
    invalidate();
}

void Scene::toggle_mode() {
    mode_ = mode_ == TileMode::Grid ? TileMode::Single : TileMode::Grid;
    invalidate();
}

void Scene::set_hud(const HudCanvas* image) {
    damage_.add(hud_rect());
    hud_ = image;
    damage_.add(hud_rect());
}

void Scene::hud_changed() {
    damage_.add(hud_rect());
}

void Scene::set_pointer(const CursorState& pointer) {
    damage_.add(pointer_rect());
    pointer_ = pointer;
    damage_.add(pointer_rect());
}

Rect Scene::area(size_t i) const {
    if (tiles() == 1)
        return target();
    const std::vector<Rect> rects = tile_rects(tiles(), width_, height_, mode_, focus_);
    return rects[i].empty() ? Rect{} : tile_inner(rects[i]);
}

Placement Scene::placement(size_t i) const {
    const Rect a = area(i);
    if (!pictures_[i].buffer || a.empty())
        return {};
    const Layout& l = pictures_[i].buffer->layout();
    Placement p = place(l.width, l.height, uint32_t(a.w), uint32_t(a.h), scale_);
    p.dst = p.dst.translated(a.x, a.y);
    return p;
}

Rect Scene::picture_rect(size_t i) const {
    const Rect a = area(i);
    if (!pictures_[i].buffer || a.empty())
        return {};
    const Layout& l = pictures_[i].buffer->layout();
    return compute_viewport(l.width, l.height, uint32_t(a.w), uint32_t(a.h), scale_)
        .translated(a.x, a.y);
}

std::vector<SceneFill> Scene::fills() const {
    std::vector<SceneFill> out;
    for (size_t i = 0; i < tiles(); ++i)
        if (pictures_[i].ended && !area(i).empty())
            for (const SceneFill& f : ended_label(area(i)))
                out.push_back(f);
    if (tiles() > 1) {
        const std::vector<Rect> rects = tile_rects(tiles(), width_, height_, mode_, focus_);
        for (const SceneFill& f : focus_frame(rects[focus_]))
            out.push_back(f);
    }
    return out;
}

Rect Scene::hud_rect() const {
    if (!hud_)
        return {};
    return Rect{hud_offset, hud_offset, int32_t(hud_->width()), int32_t(hud_->height())}.intersect(
        target());
}

Rect Scene::pointer_quad() const {
    const CursorImage* c = pointer_.image.get();
    const std::shared_ptr<const Buffer>& buffer = pictures_[focus_].buffer;
    if (!pointer_.visible || !c || !c->width || !c->height || !buffer)
        return {};
    const Rect vp = picture_rect(focus_);
    const Layout& l = buffer->layout();
    if (vp.empty())
        return {};
    const auto at = [](double v, int32_t origin, int32_t size, uint32_t src) {
        return origin + v * size / src;
    };
    const double x0 = at(pointer_.x - c->hot_x, vp.x, vp.w, l.width);
    const double y0 = at(pointer_.y - c->hot_y, vp.y, vp.h, l.height);
    const double x1 = at(pointer_.x - c->hot_x + double(c->width), vp.x, vp.w, l.width);
    const double y1 = at(pointer_.y - c->hot_y + double(c->height), vp.y, vp.h, l.height);
    const int32_t lx = int32_t(std::floor(x0)), ly = int32_t(std::floor(y0));
    return Rect{lx, ly, int32_t(std::ceil(x1)) - lx, int32_t(std::ceil(y1)) - ly};
}

Rect Scene::pointer_rect() const {
    const Rect q = pointer_quad();
    if (q.empty())
        return {};
    return q.intersect(picture_rect(focus_)).intersect(area(focus_)).intersect(target());
}

SourcePoint Scene::to_source(double x, double y) const {
    const std::shared_ptr<const Buffer>& buffer = pictures_[focus_].buffer;
    if (!buffer)
        return {};
    const Layout& l = buffer->layout();
    SourcePoint p = window_to_source(picture_rect(focus_), l.width, l.height, x, y);
    // A point in another tile is outside the focused picture even where the mapping clamps.
    if (!area(focus_).contains_point(int32_t(std::floor(x)), int32_t(std::floor(y))))
        p.inside = false;
    return p;
}

std::vector<SceneFill> ended_label(const Rect& inner) {
    constexpr std::string_view text = "ended";
    const int32_t scale = inner.w >= 200 ? 4 : 2;
    const int32_t w = int32_t(text.size()) * hud_font::advance * scale, h = 9 * scale;
    const int32_t x0 = inner.x + (inner.w - w) / 2, y0 = inner.y + (inner.h - h) / 2;
    std::vector<SceneFill> out;
    out.push_back(
        {Rect{x0 - scale * 2, y0 - scale, w + scale * 4, h + scale}.intersect(inner), 26, 26, 26});
    for (size_t i = 0; i < text.size(); ++i) {
        const auto& rows = hud_font::glyph(text[i]);
        for (int row = 0; row < hud_font::glyph_height; ++row)
            for (int col = 0; col < hud_font::glyph_width; ++col)
                if (rows[size_t(row)] & (0x10 >> col))
                    out.push_back({Rect{x0 + (int32_t(i) * hud_font::advance + col) * scale,
                                        y0 + (row + 1) * scale, scale, scale}
                                       .intersect(inner),
                                   255, 255, 255});
    }
    return out;
}

std::vector<SceneFill> focus_frame(const Rect& t) {
    // Amber: visible on most guest pictures.
    constexpr uint8_t r = 255, g = 191, b = 0;
    return {{{t.x, t.y, t.w, tile_frame}, r, g, b},
            {{t.x, t.bottom() - tile_frame, t.w, tile_frame}, r, g, b},
            {{t.x, t.y, tile_frame, t.h}, r, g, b},
            {{t.right() - tile_frame, t.y, tile_frame, t.h}, r, g, b}};
}

} // namespace udmaview
