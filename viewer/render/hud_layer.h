// SPDX-License-Identifier: MIT
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "render/gl_objects.h"
#include "render/gl_program.h"
#include "render/hud.h"
#include "udmaview/error.h"
#include "udmaview/region.h"

namespace udmaview {

// The --hud overlay on the GL outputs: the Hud image as a texture, drawn blended over the
// picture in the top left corner. Re-rasterising and uploading happen in update(), which
// the outputs call after a frame's presentation is reported, so only the quad's draw call
// lands inside a measured frame; the time of all three is counted on its own (counters()).
// Every call needs the GLES context current that create() ran in.
class HudLayer {
public:
    static Result<std::unique_ptr<HudLayer>> create(bool visible);
    HudLayer(const HudLayer&) = delete;
    HudLayer& operator=(const HudLayer&) = delete;

    Hud& hud() { return hud_; }
    bool visible() const { return visible_; }
    // Shows or hides the overlay; the caller redraws rect() (taken before hiding).
    void toggle() {
        visible_ = !visible_;
        ++toggles_;
    }
    // Where the overlay lands in a window of win_w × win_h, y down; empty while hidden.
    Rect rect(uint32_t win_w, uint32_t win_h) const;
    // Redraws the image and uploads it when a refresh is due; true when what the overlay
    // shows changed (its rect needs a redraw). Nothing happens while hidden.
    bool update(uint64_t now_ns);
    // Draws the overlay over the bound framebuffer, win_h pixels high (when visible).
    void draw(uint32_t win_h);
    // For the timing report: hud_draw_us (rasterise + upload + draw, total), hud_draws,
    // hud_updates (images uploaded), hud_toggles.
    std::vector<std::pair<std::string, uint64_t>> counters() const;

private:
    explicit HudLayer(bool visible)
        : visible_(visible) {}
    Status init();

    Hud hud_;
    bool visible_;
    BlitProgram blit_;
    GlTexture texture_;
    bool uploaded_ = false;
    uint64_t busy_ns_ = 0, draws_ = 0, updates_ = 0, toggles_ = 0;
};

} // namespace udmaview
