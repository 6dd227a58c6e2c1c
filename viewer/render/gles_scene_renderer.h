// SPDX-License-Identifier: MIT
#pragma once

#include <memory>

#include "render/cursor_layer.h"
#include "render/gl_objects.h"
#include "render/gl_program.h"
#include "render/gles_renderer.h"
#include "render/renderer.h"

namespace udmaview {

// The GLES implementation of Renderer: GlesRenderer's texture per buffer (dma-buf import or
// damaged-rect upload) drawn as the scene says into the bound framebuffer (scene size), each
// damaged rect scissored: black, the pictures, frame and "ended" by scissored clears, the
// pointer (CursorLayer) and the hud image blended on top. Every call needs the GLES context
// current that create() ran in.
class GlesSceneRenderer final : public Renderer {
public:
    // display: as GlesRenderer::create. options.linear and options.scale must be the scene's.
    static Result<std::unique_ptr<GlesSceneRenderer>> create(EGLDisplay display,
                                                             RendererOptions options);
    RendererKind kind() const override { return RendererKind::Gles; }
    Status update(const Frame& frame, SubmitStats& stats) override;
    Status draw(const Scene& scene, const Region& rects) override;
    void retire(BufferId id) override { textures_->retire(id); }

    GlesRenderer& textures() { return *textures_; }
    const GlesRenderer& textures() const { return *textures_; }

private:
    GlesSceneRenderer() = default;
    void draw_rect(const Scene& scene, const Rect& rect);

    std::unique_ptr<GlesRenderer> textures_;
    std::unique_ptr<CursorLayer> cursor_;
    BlitProgram hud_blit_;
    GlTexture hud_texture_;
    const HudCanvas* hud_uploaded_ = nullptr;
    CursorState cursor_state_;
};

} // namespace udmaview
