// SPDX-License-Identifier: MIT
#include "render/hud_layer.h"

#include <algorithm>

#include "render/gl_program.h"
#include "udmaview/clock.h"

namespace udmaview {

namespace {

constexpr int32_t corner_offset = 8; // from the window's top left corner

} // namespace

Result<std::unique_ptr<HudLayer>> HudLayer::create(bool visible) {
    std::unique_ptr<HudLayer> layer(new HudLayer(visible));
    if (Status s = layer->init(); !s)
        return s.error();
    return layer;
}

Status HudLayer::init() {
    Result<BlitProgram> blit = BlitProgram::create("hud");
    if (!blit)
        return blit.error();
    blit_ = std::move(*blit);

    texture_ = make_texture();
    glBindTexture(GL_TEXTURE_2D, texture_.get());
    // Drawn 1:1, so nearest keeps the glyphs sharp.
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, GLsizei(Hud::width), GLsizei(Hud::height), 0, GL_RGBA,
                 GL_UNSIGNED_BYTE, nullptr);
    glBindTexture(GL_TEXTURE_2D, 0);
    if (GLenum err = glGetError(); err != GL_NO_ERROR)
        return Error{"egl: cannot make the hud texture (GL error " + std::to_string(err) +
                         "); run without --hud",
                     EIO};
    return {};
}

Rect HudLayer::rect(uint32_t win_w, uint32_t win_h) const {
    if (!visible_)
        return {};
    const Rect r{corner_offset, corner_offset, int32_t(Hud::width), int32_t(Hud::height)};
    const Rect window{0, 0, int32_t(win_w), int32_t(win_h)};
    const int32_t x1 = std::min(r.right(), window.right());
    const int32_t y1 = std::min(r.bottom(), window.bottom());
    if (x1 <= r.x || y1 <= r.y)
        return {};
    return Rect{r.x, r.y, x1 - r.x, y1 - r.y};
}

bool HudLayer::update(uint64_t now) {
    if (!visible_)
        return false;
    const uint64_t start = now_ns();
    if (!hud_.refresh(now) && uploaded_)
        return false;
    const HudCanvas& image = hud_.image();
    glBindTexture(GL_TEXTURE_2D, texture_.get());
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, GLsizei(image.width()), GLsizei(image.height()),
                    GL_RGBA, GL_UNSIGNED_BYTE, image.pixels().data());
    glBindTexture(GL_TEXTURE_2D, 0);
    uploaded_ = true;
    ++updates_;
    busy_ns_ += now_ns() - start;
    return true;
}

void HudLayer::draw(uint32_t win_h) {
    if (!visible_)
        return;
    if (!uploaded_)
        update(now_ns());
    const uint64_t start = now_ns();
    // GL's window origin is the bottom left; the texture is drawn 1:1 (rect() may crop it,
    // the viewport does not).
    glViewport(corner_offset, int32_t(win_h) - corner_offset - int32_t(Hud::height),
               GLsizei(Hud::width), GLsizei(Hud::height));
    blit_.draw_blended(texture_.get());
    ++draws_;
    busy_ns_ += now_ns() - start;
}

std::vector<std::pair<std::string, uint64_t>> HudLayer::counters() const {
    return {{"hud_draw_us", busy_ns_ / 1000},
            {"hud_draws", draws_},
            {"hud_updates", updates_},
            {"hud_toggles", toggles_}};
}

} // namespace udmaview
