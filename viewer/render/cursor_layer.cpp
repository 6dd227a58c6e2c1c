// SPDX-License-Identifier: MIT
#include "render/cursor_layer.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "render/premultiply.h"

namespace udmaview {

namespace {

Rect intersect(const Rect& a, const Rect& b) {
    const int32_t x0 = std::max(a.x, b.x), y0 = std::max(a.y, b.y);
    const int32_t x1 = std::min(a.right(), b.right()), y1 = std::min(a.bottom(), b.bottom());
    if (x1 <= x0 || y1 <= y0)
        return {};
    return Rect{x0, y0, x1 - x0, y1 - y0};
}

// Source coordinate v on an axis the picture maps from src pixels onto [at, at + size).
double to_window(double v, int32_t at, int32_t size, uint32_t src) {
    return at + v * size / src;
}

} // namespace

Result<std::unique_ptr<CursorLayer>> CursorLayer::create(bool linear) {
    std::unique_ptr<CursorLayer> layer(new CursorLayer(linear));
    Result<BlitProgram> blit = BlitProgram::create("cursor");
    if (!blit)
        return blit.error();
    layer->blit_ = std::move(*blit);
    layer->texture_ = make_texture();
    return layer;
}

void CursorLayer::set(const CursorState& state) {
    state_ = state;
    const CursorImage* image = state.image.get();
    if (!image || image == uploaded_.get() || image->width == 0 || image->height == 0)
        return;
    // 0xAARRGGBB words to premultiplied RGBA bytes: uploads in a format every GLES has.
    std::vector<uint8_t> rgba(size_t(image->width) * image->height * 4);
    for (size_t i = 0; i < image->pixels.size() && i * 4 < rgba.size(); ++i) {
        const uint32_t p = premultiplied_argb(image->pixels[i]);
        rgba[i * 4 + 0] = uint8_t(p >> 16);
        rgba[i * 4 + 1] = uint8_t(p >> 8);
        rgba[i * 4 + 2] = uint8_t(p);
        rgba[i * 4 + 3] = uint8_t(p >> 24);
    }
    glBindTexture(GL_TEXTURE_2D, texture_.get());
    const GLint filter = linear_ ? GL_LINEAR : GL_NEAREST;
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, filter);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, filter);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, GLsizei(image->width), GLsizei(image->height), 0,
                 GL_RGBA, GL_UNSIGNED_BYTE, rgba.data());
    glBindTexture(GL_TEXTURE_2D, 0);
    uploaded_ = state.image;
}

Rect CursorLayer::quad(const Rect& viewport, uint32_t src_w, uint32_t src_h) const {
    const CursorImage& c = *state_.image;
    const double x0 = to_window(state_.x - c.hot_x, viewport.x, viewport.w, src_w);
    const double y0 = to_window(state_.y - c.hot_y, viewport.y, viewport.h, src_h);
    const double x1 =
        to_window(state_.x - c.hot_x + double(c.width), viewport.x, viewport.w, src_w);
    const double y1 =
        to_window(state_.y - c.hot_y + double(c.height), viewport.y, viewport.h, src_h);
    const auto lo = [](double v) {
        return int32_t(std::floor(v));
    };
    const auto hi = [](double v) {
        return int32_t(std::ceil(v));
    };
    return Rect{lo(x0), lo(y0), hi(x1) - lo(x0), hi(y1) - lo(y0)};
}

Rect CursorLayer::rect(const Rect& viewport, uint32_t src_w, uint32_t src_h, uint32_t win_w,
                       uint32_t win_h) const {
    if (!state_.visible || !state_.image || !uploaded_ || !src_w || !src_h || viewport.w <= 0 ||
        viewport.h <= 0)
        return {};
    const Rect window{0, 0, int32_t(win_w), int32_t(win_h)};
    return intersect(intersect(quad(viewport, src_w, src_h), viewport), window);
}

void CursorLayer::draw(const Rect& viewport, uint32_t src_w, uint32_t src_h, uint32_t win_w,
                       uint32_t win_h) {
    Rect clip = rect(viewport, src_w, src_h, win_w, win_h);
    if (clip.w <= 0 || clip.h <= 0)
        return;
    // GL's window origin is the bottom left; the caller's scissor box (partial redraw) stays
    // in force, narrowed to the pointer's visible part.
    const bool scissored = glIsEnabled(GL_SCISSOR_TEST);
    GLint box[4] = {0, 0, GLint(win_w), GLint(win_h)};
    if (scissored)
        glGetIntegerv(GL_SCISSOR_BOX, box);
    const Rect caller{box[0], int32_t(win_h) - box[1] - box[3], box[2], box[3]};
    clip = intersect(clip, caller);
    if (clip.w <= 0 || clip.h <= 0)
        return;
    const Rect q = quad(viewport, src_w, src_h);
    glEnable(GL_SCISSOR_TEST);
    glScissor(clip.x, int32_t(win_h) - clip.bottom(), clip.w, clip.h);
    glViewport(q.x, int32_t(win_h) - q.bottom(), q.w, q.h);
    const Nudge nudge = nearest_nudge(state_.image->width, state_.image->height, q.w, q.h);
    blit_.draw_blended(texture_.get(), linear_ ? nullptr : nudge.st);
    if (scissored)
        glScissor(box[0], box[1], box[2], box[3]);
    else
        glDisable(GL_SCISSOR_TEST);
}

} // namespace udmaview
