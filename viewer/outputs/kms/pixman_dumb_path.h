// SPDX-License-Identifier: MIT
// The cpu path: for pictures the plane cannot scan out (no dma-buf, a format the plane lacks,
// a placement it refuses, an import the driver refuses, GL that is a CPU rasterizer or does
// not start) the scene (render/scene.h: the picture placed by --scale, tiles, the --hud
// overlay, the guest pointer) is drawn by pixman into two screen-sized dumb buffers, only
// the pixels that changed, and the output flips between them. The rectangles drawn are the
// damage signalled with the flip (FB_DAMAGE_CLIPS or DirtyFB).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include <xf86drmMode.h>

#include "outputs/kms/dumb_swapchain.h"
#include "outputs/kms/kms_quirks.h"
#include "outputs/kms/kms_resources.h"
#include "outputs/kms/present_rule.h"
#include "outputs/kms/scanout.h"
#include "render/pixman_renderer.h"
#include "render/scene.h"
#include "udmaview/output.h"

namespace udmaview::kms {

// Where the picture goes: the device, its primary plane, the mode and the driver's quirks.
struct DumbTarget {
    const DrmDevice& dev;
    const PlaneInfo& plane;
    const drmModeModeInfo& mode;
    const DriverQuirks& quirks;
};

// What the scene shows: --scale, --filter and the number of sources (tiles).
struct PixmanPathOptions {
    ScaleMode scale = ScaleMode::Fit;
    bool linear = true;
    uint32_t tiles = 1;
};

class PixmanDumbPath {
public:
    explicit PixmanDumbPath(PixmanPathOptions options);

    // Maps frame's buffer (once per BufferId, counted in stats.imports) and makes it its
    // tile's picture; the damage waits for draw(). The buffers are made first when there
    // are none (after reset()): of the mode's size, in the source's format where the plane
    // scans it out with 4 bytes per pixel (one source), else XRGB8888.
    Status update(const DumbTarget& target, const Frame& frame, SubmitStats& stats);
    // Draws what the back buffer lacks (whole: everything, into both buffers) and counts the
    // bytes written in stats. Several frames of one round may draw before one present().
    Status draw(bool whole, SubmitStats& stats);
    // What to put on screen: the back buffer, at a modeset or with the rectangles drawn since
    // the last prepare() as clips; fb_id 0 where nothing was drawn (the screen already shows
    // the scene). flip.dumb_index names the buffer.
    Result<Shown> prepare(const DumbTarget& target, bool modeset);
    // What is drawn: tiles, hud, pointer; changes become damage of the next present().
    Scene& scene() { return scene_; }
    const Scene& scene() const { return scene_; }
    // Where source 0's picture lands on the screen (source → screen).
    Placement placement() const { return scene_.placement(0); }
    // The flip to buffer index is done.
    void shown(int index) { chain_.shown(index); }
    // The source let go of the buffer: drop its mapping.
    void forget(BufferId id);
    // Another mode or format: new buffers at the next update(); the old ones (maybe on
    // screen) go to scanout, which removes them once off screen.
    void reset(Scanout& scanout);
    // Everything goes: buffers, mappings, the scene's pictures.
    void clear();
    // pixman_drawn_pixels (target pixels drawn), pixman_buffers (mappings held).
    std::vector<std::pair<std::string, uint64_t>> counters() const;

private:
    Status make_buffers(const DumbTarget& target, const Layout& layout);
    // What buffer index lacks, drawn (the back buffer's part joins drawn_).
    Status draw_into(int index, SubmitStats& stats);

    PixmanPathOptions options_;
    Scene scene_;
    DumbSwapchain chain_;
    std::unique_ptr<PixmanRenderer> renderer_;
    Region drawn_; // into the back buffer since the last present()
    uint64_t drawn_pixels_ = 0;
};

} // namespace udmaview::kms
