// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <vector>

#include "render/gles_renderer.h"
#include "render/tile_layout.h"
#include "render/viewport.h"
#include "udmaview/frame.h"
#include "udmaview/region.h"
#include "udmaview/scale_mode.h"

namespace udmaview {

// Several sources in one framebuffer, drawn by the shared GlesRenderer: each source's current
// buffer scaled (--scale) into its tile, the focused tile framed, "ended" over the tile of a
// source that ended. Damage stays per tile: a frame of one source makes window damage inside
// its own tile only. Every call needs the renderer's GLES context current.
class TileCompositor {
public:
    TileCompositor(size_t tiles, ScaleMode scale);

    size_t tiles() const { return ended_.size(); }
    uint32_t focus() const { return focus_; }
    TileMode mode() const { return mode_; }

    // frame went through renderer.update(): its damage becomes damage of its tile.
    void frame_shown(const Frame& frame);
    void set_ended(uint32_t source);
    // Moves the focus by step tiles (wrapping) and switches grid ⇄ focused source alone.
    void move_focus(int step);
    void toggle_mode();
    // The next window_damage() is the whole window (resize, expose).
    void invalidate() { full_ = true; }

    // Clears the bound framebuffer (win_w × win_h) and draws every tile, touching only the
    // pixels inside clip (empty: the whole framebuffer; the KMS gl path redraws only what
    // its back buffer lacks).
    void draw(GlesRenderer& renderer, uint32_t win_w, uint32_t win_h, Rect clip = {});
    // Window pixels (y down) changed since clear_damage().
    Region window_damage(const GlesRenderer& renderer, uint32_t win_w, uint32_t win_h) const;
    void clear_damage();
    // A window position mapped into the focused source's picture.
    SourcePoint to_source(const GlesRenderer& renderer, double wx, double wy, uint32_t win_w,
                          uint32_t win_h) const;

private:
    // Where source i's whole picture lands (may reach outside the tile when cropped).
    Rect picture_rect(const GlesRenderer& renderer, size_t i, const Rect& tile) const;

    ScaleMode scale_;
    TileMode mode_ = TileMode::Grid;
    uint32_t focus_ = 0;
    std::vector<bool> ended_;
    std::vector<Region> damage_;  // per source: buffer pixels, y down, since clear_damage()
    std::vector<bool> tile_full_; // per source: its whole tile changed (size, ended)
    std::vector<uint64_t> size_;  // per source: width << 32 | height of its last frame
    bool full_ = true;
    uint32_t last_w_ = 0, last_h_ = 0;
};

} // namespace udmaview
