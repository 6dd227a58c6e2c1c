// SPDX-License-Identifier: MIT
// One renderer interface, two implementations: PixmanRenderer (CPU, pixman_renderer.h) and
// the GLES renderer (gles_scene_renderer.h). The scene (scene.h) says what is shown; a
// renderer only draws it, as weston's and wlroots' renderers draw their compositor's scene.
//
// How an output uses it, per frame:
//   renderer.update(frame, stats);   // brings the buffer's mapping / texture up to date
//   scene.frame_shown(frame);        // the tile's picture, its damage in target pixels
//   renderer.draw(scene, scene.damage());  // redraws exactly those target pixels
//   ...present scene.damage() (flip, FB_DAMAGE_CLIPS, SDL_UpdateWindowSurfaceRects)...
//   scene.clear_damage();
// A target whose contents are unknown (new buffer, swapchain slot) is drawn with the damage
// it lacks, or after scene.invalidate(). retire(id) when the source drops a buffer.
#pragma once

#include <cstdint>
#include <string>

#include "render/scene.h"
#include "udmaview/error.h"
#include "udmaview/format.h"
#include "udmaview/frame.h"
#include "udmaview/output.h"
#include "udmaview/region.h"

namespace udmaview {

enum class RendererKind { Gles, Pixman };
const char* renderer_kind_name(RendererKind kind); // "gles", "pixman"

class Renderer {
public:
    virtual ~Renderer() = default;
    virtual RendererKind kind() const = 0;
    // Makes frame's buffer drawable (mapped, imported or uploaded, cached per BufferId);
    // counts what that cost in stats (bytes_copied, imports, path).
    virtual Status update(const Frame& frame, SubmitStats& stats) = 0;
    // Draws the scene into the target, touching only the pixels of rects (clipped to the
    // target); the scene's size is the target's.
    virtual Status draw(const Scene& scene, const Region& rects) = 0;
    // The source dropped this buffer: its mapping / texture goes (unless still shown).
    virtual void retire(BufferId id) = 0;
};

// Plain memory a CPU renderer draws into: a window surface, a KMS dumb buffer's mapping.
struct RenderTarget {
    uint8_t* pixels = nullptr;
    uint32_t stride = 0; // bytes per row
    uint32_t width = 0, height = 0;
    uint32_t fourcc = 0; // DRM fourcc (udmaview/format.h), e.g. XRGB8888, RGB565
};

} // namespace udmaview
