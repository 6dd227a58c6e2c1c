// SPDX-License-Identifier: MIT
#include "render/gles_scene_renderer.h"

#include <cerrno>

namespace udmaview {

namespace {

// Scissored clears draw the frame and the label: no shader, no texture, exact pixels.
void clear_rect(const Rect& r, uint32_t target_h, float red, float green, float blue) {
    if (r.empty())
        return;
    glScissor(r.x, int32_t(target_h) - r.bottom(), r.w, r.h);
    glClearColor(red, green, blue, 1);
    glClear(GL_COLOR_BUFFER_BIT);
}

void scissor(const Rect& r, uint32_t target_h) {
    glScissor(r.x, int32_t(target_h) - r.bottom(), r.w, r.h);
}

} // namespace

Result<std::unique_ptr<GlesSceneRenderer>> GlesSceneRenderer::create(EGLDisplay display,
                                                                     RendererOptions options) {
    std::unique_ptr<GlesSceneRenderer> r(new GlesSceneRenderer());
    Result<std::unique_ptr<GlesRenderer>> textures = GlesRenderer::create(display, options);
    if (!textures)
        return textures.error();
    r->textures_ = std::move(*textures);
    Result<std::unique_ptr<CursorLayer>> cursor = CursorLayer::create(options.linear);
    if (!cursor)
        return cursor.error();
    r->cursor_ = std::move(*cursor);
    Result<BlitProgram> blit = BlitProgram::create("hud");
    if (!blit)
        return blit.error();
    r->hud_blit_ = std::move(*blit);
    r->hud_texture_ = make_texture();
    glBindTexture(GL_TEXTURE_2D, r->hud_texture_.get());
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    glBindTexture(GL_TEXTURE_2D, 0);
    if (GLenum err = glGetError(); err != GL_NO_ERROR)
        return Error{"egl: cannot make the scene's hud texture (GL error " + std::to_string(err) +
                         "); run with --sdl-path software",
                     EIO};
    return r;
}

Status GlesSceneRenderer::update(const Frame& frame, SubmitStats& stats) {
    return textures_->update(frame, stats);
}

void GlesSceneRenderer::draw_rect(const Scene& scene, const Rect& rect) {
    const uint32_t h = scene.height();
    glDisable(GL_BLEND);
    clear_rect(rect, h, 0, 0, 0);
    for (size_t i = 0; i < scene.tiles(); ++i) {
        if (!scene.picture(i))
            continue;
        const Rect visible = scene.placement(i).dst.intersect(rect);
        if (visible.empty())
            continue;
        // Cropping placements reach outside the tile: the scissor keeps them in it.
        scissor(visible, h);
        textures_->draw_buffer(scene.picture(i)->id(), scene.picture_rect(i), h);
    }
    for (const SceneFill& f : scene.fills())
        clear_rect(f.rect.intersect(rect), h, f.r / 255.0f, f.g / 255.0f, f.b / 255.0f);
    const Rect pointer = scene.pointer_rect().intersect(rect);
    if (!pointer.empty()) {
        const Layout& l = scene.picture(scene.focus())->layout();
        scissor(pointer, h);
        cursor_->draw(scene.picture_rect(scene.focus()), l.width, l.height, scene.width(), h);
        glEnable(GL_SCISSOR_TEST); // CursorLayer restores the box, and the test stays on
    }
    const Rect hud = scene.hud_rect().intersect(rect);
    if (!hud.empty()) {
        scissor(hud, h);
        glViewport(Scene::hud_offset,
                   int32_t(h) - Scene::hud_offset - int32_t(scene.hud()->height()),
                   GLsizei(scene.hud()->width()), GLsizei(scene.hud()->height()));
        hud_blit_.draw_blended(hud_texture_.get());
    }
}

Status GlesSceneRenderer::draw(const Scene& scene, const Region& rects) {
    const Rect whole{0, 0, int32_t(scene.width()), int32_t(scene.height())};
    const Region clip = rects.intersected(whole);
    if (clip.empty())
        return {};
    if (scene.pointer().image != cursor_state_.image ||
        scene.pointer().visible != cursor_state_.visible || scene.pointer().x != cursor_state_.x ||
        scene.pointer().y != cursor_state_.y) {
        cursor_state_ = scene.pointer();
        cursor_->set(cursor_state_);
    }
    if (const HudCanvas* canvas = scene.hud();
        canvas && !clip.intersected(scene.hud_rect()).empty()) {
        // The image changes in place at most a few times a second; it is small.
        glBindTexture(GL_TEXTURE_2D, hud_texture_.get());
        glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
        if (hud_uploaded_ != canvas)
            glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, GLsizei(canvas->width()),
                         GLsizei(canvas->height()), 0, GL_RGBA, GL_UNSIGNED_BYTE,
                         canvas->pixels().data());
        else
            glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, GLsizei(canvas->width()),
                            GLsizei(canvas->height()), GL_RGBA, GL_UNSIGNED_BYTE,
                            canvas->pixels().data());
        glBindTexture(GL_TEXTURE_2D, 0);
        hud_uploaded_ = canvas;
    }
    glEnable(GL_SCISSOR_TEST);
    for (const Rect& r : clip.rects())
        draw_rect(scene, r);
    glDisable(GL_SCISSOR_TEST);
    glViewport(0, 0, GLsizei(scene.width()), GLsizei(scene.height()));
    if (const GLenum err = glGetError(); err != GL_NO_ERROR)
        return Error{"egl: drawing the scene failed (GL error " + std::to_string(err) + ")", EIO};
    return {};
}

} // namespace udmaview
