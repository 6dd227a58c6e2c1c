// SPDX-License-Identifier: MIT
#pragma once

#include <memory>

#include "render/gl_objects.h"
#include "render/gl_program.h"
#include "udmaview/cursor.h"
#include "udmaview/error.h"
#include "udmaview/region.h"

namespace udmaview {

// The guest's pointer (CursorState: ARGB straight alpha, hot spot in source pixels) drawn as
// a premultiplied, blended quad over the picture and scaled with it, on the GL outputs: what
// draw_cursor() does for the headless PNG dump. Like there, the pointer is clipped to the picture.
// Every call needs the GLES context current that create() ran in.
class CursorLayer {
public:
    // linear: --filter linear for a scaled pointer (else nearest).
    static Result<std::unique_ptr<CursorLayer>> create(bool linear);
    CursorLayer(const CursorLayer&) = delete;
    CursorLayer& operator=(const CursorLayer&) = delete;

    // Takes the pointer's new state; a new image is uploaded (images are small and rare).
    void set(const CursorState& state);
    // The window pixels (y down) the pointer covers when a src_w × src_h picture lands on
    // viewport in a window of win_w × win_h; empty when hidden or outside.
    Rect rect(const Rect& viewport, uint32_t src_w, uint32_t src_h, uint32_t win_w,
              uint32_t win_h) const;
    // Draws it over the bound framebuffer, win_w × win_h pixels, within the scissor box in
    // effect (if any).
    void draw(const Rect& viewport, uint32_t src_w, uint32_t src_h, uint32_t win_w, uint32_t win_h);

private:
    explicit CursorLayer(bool linear)
        : linear_(linear) {}
    // The pointer's quad in window pixels, unclipped.
    Rect quad(const Rect& viewport, uint32_t src_w, uint32_t src_h) const;

    bool linear_;
    BlitProgram blit_;
    GlTexture texture_;
    CursorState state_;
    std::shared_ptr<const CursorImage> uploaded_; // the image the texture holds
};

} // namespace udmaview
