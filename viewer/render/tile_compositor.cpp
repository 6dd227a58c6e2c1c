// SPDX-License-Identifier: MIT
#include "render/tile_compositor.h"

#include <string_view>

#include "render/hud_font.h"

namespace udmaview {

namespace {

// Scissored clears draw the frame and the label: no shader, no texture, exact pixels.
void fill(const Rect& rect, const Rect& clip, uint32_t win_h, float red, float green, float blue) {
    const Rect r = rect.intersect(clip);
    if (r.empty())
        return;
    glScissor(r.x, int32_t(win_h) - r.y - r.h, r.w, r.h);
    glClearColor(red, green, blue, 1);
    glClear(GL_COLOR_BUFFER_BIT);
}

void draw_frame(const Rect& t, const Rect& clip, uint32_t win_h) {
    const float r = 1.0f, g = 0.75f, b = 0.0f; // amber: visible on most guest pictures
    fill({t.x, t.y, t.w, tile_frame}, clip, win_h, r, g, b);
    fill({t.x, t.bottom() - tile_frame, t.w, tile_frame}, clip, win_h, r, g, b);
    fill({t.x, t.y, tile_frame, t.h}, clip, win_h, r, g, b);
    fill({t.right() - tile_frame, t.y, tile_frame, t.h}, clip, win_h, r, g, b);
}

// "ended" in the HUD's 5×7 font, each font pixel a scale × scale block, on a dark box in
// the middle of the tile.
void draw_ended(const Rect& inner, const Rect& clip, uint32_t win_h) {
    constexpr std::string_view text = "ended";
    const int32_t scale = inner.w >= 200 ? 4 : 2;
    const int32_t w = int32_t(text.size()) * hud_font::advance * scale, h = 9 * scale;
    const int32_t x0 = inner.x + (inner.w - w) / 2, y0 = inner.y + (inner.h - h) / 2;
    const Rect box = Rect{x0 - scale * 2, y0 - scale, w + scale * 4, h + scale}.intersect(inner);
    fill(box, clip, win_h, 0.1f, 0.1f, 0.1f);
    for (size_t i = 0; i < text.size(); ++i) {
        const auto& rows = hud_font::glyph(text[i]);
        for (int row = 0; row < hud_font::glyph_height; ++row)
            for (int col = 0; col < hud_font::glyph_width; ++col)
                if (rows[size_t(row)] & (0x10 >> col))
                    fill(Rect{x0 + (int32_t(i) * hud_font::advance + col) * scale,
                              y0 + (row + 1) * scale, scale, scale}
                             .intersect(inner),
                         clip, win_h, 1, 1, 1);
    }
}

} // namespace

TileCompositor::TileCompositor(size_t tiles, ScaleMode scale)
    : scale_(scale)
    , ended_(tiles, false)
    , damage_(tiles)
    , tile_full_(tiles, false)
    , size_(tiles, 0) {}

void TileCompositor::frame_shown(const Frame& frame) {
    const uint32_t i = frame.source;
    if (i >= tiles() || !frame.buffer)
        return;
    const Layout& l = frame.buffer->layout();
    const uint64_t size = uint64_t(l.width) << 32 | l.height;
    if (size != size_[i]) {
        size_[i] = size;
        tile_full_[i] = true;
    }
    const Region damage = frame.damage.intersected(l.bounds());
    if (l.y0_top) {
        damage_[i].add(damage);
    } else { // buffer rows are bottom-up: row y is shown at height - 1 - y
        for (const Rect& r : damage.rects())
            damage_[i].add(Rect{r.x, int32_t(l.height) - r.bottom(), r.w, r.h});
    }
}

void TileCompositor::set_ended(uint32_t source) {
    if (source < tiles()) {
        ended_[source] = true;
        tile_full_[source] = true;
    }
}

void TileCompositor::move_focus(int step) {
    const int n = int(tiles());
    focus_ = uint32_t(((int(focus_) + step) % n + n) % n);
    full_ = true;
}

void TileCompositor::toggle_mode() {
    mode_ = mode_ == TileMode::Grid ? TileMode::Single : TileMode::Grid;
    full_ = true;
}

Rect TileCompositor::picture_rect(const GlesRenderer& renderer, size_t i, const Rect& tile) const {
    const Layout* l = renderer.layout_of(renderer.shown(uint32_t(i)));
    if (!l || tile.empty())
        return {};
    const Rect inner = tile_inner(tile);
    return compute_viewport(l->width, l->height, uint32_t(inner.w), uint32_t(inner.h), scale_)
        .translated(inner.x, inner.y);
}

void TileCompositor::draw(GlesRenderer& renderer, uint32_t win_w, uint32_t win_h, Rect clip) {
    if (win_w != last_w_ || win_h != last_h_) {
        full_ = true;
        last_w_ = win_w;
        last_h_ = win_h;
    }
    const Rect window{0, 0, int32_t(win_w), int32_t(win_h)};
    clip = clip.empty() ? window : clip.intersect(window);
    glViewport(0, 0, GLsizei(win_w), GLsizei(win_h));
    glDisable(GL_BLEND);
    glEnable(GL_SCISSOR_TEST);
    fill(clip, clip, win_h, 0, 0, 0);
    const std::vector<Rect> tiles = tile_rects(this->tiles(), win_w, win_h, mode_, focus_);
    for (size_t i = 0; i < tiles.size(); ++i) {
        if (tiles[i].empty())
            continue;
        const Rect inner = tile_inner(tiles[i]);
        const Rect visible = inner.intersect(clip);
        if (visible.empty())
            continue;
        // Cropping placements reach outside the tile: the scissor keeps them in it.
        glScissor(visible.x, int32_t(win_h) - visible.bottom(), visible.w, visible.h);
        renderer.draw_buffer(renderer.shown(uint32_t(i)), picture_rect(renderer, i, tiles[i]),
                             win_h);
        if (ended_[i])
            draw_ended(inner, clip, win_h);
    }
    if (focus_ < tiles.size() && tiles.size() > 1)
        draw_frame(tiles[focus_], clip, win_h);
    glDisable(GL_SCISSOR_TEST);
    glViewport(0, 0, GLsizei(win_w), GLsizei(win_h));
}

Region TileCompositor::window_damage(const GlesRenderer& renderer, uint32_t win_w,
                                     uint32_t win_h) const {
    const Rect window{0, 0, int32_t(win_w), int32_t(win_h)};
    if (full_ || win_w != last_w_ || win_h != last_h_)
        return Region(window);
    const std::vector<Rect> tiles = tile_rects(this->tiles(), win_w, win_h, mode_, focus_);
    Region out;
    for (size_t i = 0; i < tiles.size(); ++i) {
        if (tiles[i].empty())
            continue;
        if (tile_full_[i]) {
            out.add(tiles[i]);
            continue;
        }
        const Layout* l = renderer.layout_of(renderer.shown(uint32_t(i)));
        if (!l || damage_[i].empty())
            continue;
        const Region mapped = source_to_window(damage_[i], picture_rect(renderer, i, tiles[i]),
                                               l->width, l->height, win_w, win_h);
        out.add(mapped.intersected(tile_inner(tiles[i])));
    }
    return out;
}

void TileCompositor::clear_damage() {
    for (Region& d : damage_)
        d = Region();
    std::fill(tile_full_.begin(), tile_full_.end(), false);
    full_ = false;
}

SourcePoint TileCompositor::to_source(const GlesRenderer& renderer, double wx, double wy,
                                      uint32_t win_w, uint32_t win_h) const {
    const std::vector<Rect> tiles = tile_rects(this->tiles(), win_w, win_h, mode_, focus_);
    const Layout* l = renderer.layout_of(renderer.shown(focus_));
    if (!l || focus_ >= tiles.size())
        return {};
    SourcePoint p = window_to_source(picture_rect(renderer, focus_, tiles[focus_]), l->width,
                                     l->height, wx, wy);
    // A point in another tile is outside the focused picture even where the mapping clamps.
    if (!tile_inner(tiles[focus_]).contains_point(int32_t(wx), int32_t(wy)))
        p.inside = false;
    return p;
}

} // namespace udmaview
