// SPDX-License-Identifier: MIT
// What an output shows, built once and drawn by either renderer (renderer.h): each source's
// current buffer placed in its tile by the one placement rule (udmaview/placement.h), the
// focus frame around the focused tile, "ended" over a source that ended, the --hud image in
// the top left corner and the guest pointer over the focused picture. Frames, focus, hud and
// pointer changes become damage: the target pixels a renderer must redraw, nothing more.
// No GL and no pixman here: pure geometry, so both renderers agree on every pixel.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "render/hud_font.h"
#include "render/tile_layout.h"
#include "render/viewport.h"
#include "udmaview/cursor.h"
#include "udmaview/frame.h"
#include "udmaview/region.h"
#include "udmaview/scale_mode.h"

namespace udmaview {

// A solid rectangle a renderer fills (frame, label), colour as 8-bit RGB.
struct SceneFill {
    Rect rect;
    uint8_t r = 0, g = 0, b = 0;
};

class Scene {
public:
    // The --hud overlay's top left corner in target pixels.
    static constexpr int32_t hud_offset = 8;

    Scene(size_t tiles, ScaleMode scale, bool linear);

    size_t tiles() const { return pictures_.size(); }
    ScaleMode scale() const { return scale_; }
    bool linear() const { return linear_; }
    TileMode mode() const { return mode_; }
    uint32_t focus() const { return focus_; }
    uint32_t width() const { return width_; }
    uint32_t height() const { return height_; }

    // The target's size; a new size damages the whole target.
    void resize(uint32_t width, uint32_t height);
    // frame.buffer becomes the picture of tile frame.source; what it changed is damage.
    void frame_shown(const Frame& frame);
    void set_ended(uint32_t source);
    void move_focus(int step);
    void toggle_mode();
    // The hud image (nullptr: hidden). The caller keeps it alive while it is set; after
    // redrawing it in place, hud_changed().
    void set_hud(const HudCanvas* image);
    void hud_changed();
    void set_pointer(const CursorState& pointer);
    // The whole target is damage (expose, a target whose contents are unknown).
    void invalidate();

    // Target pixels to redraw since clear_damage().
    const Region& damage() const { return damage_; }
    void clear_damage() { damage_ = Region(); }

    // Tile i's picture (nullptr: none yet) and whether its source ended.
    const std::shared_ptr<const Buffer>& picture(size_t i) const { return pictures_[i].buffer; }
    bool ended(size_t i) const { return pictures_[i].ended; }
    // Where tile i's picture may go: the whole target with one source, else the tile without
    // its frame; empty for tiles hidden in single mode.
    Rect area(size_t i) const;
    // Tile i's placement inside area(i) in target pixels (empty without a picture).
    Placement placement(size_t i) const;
    // The rectangle tile i's whole picture covers (reaches outside area(i) when cropped).
    Rect picture_rect(size_t i) const;
    // The fills drawn over the pictures: focus frame (several tiles) and "ended" labels.
    std::vector<SceneFill> fills() const;
    const HudCanvas* hud() const { return hud_; }
    Rect hud_rect() const;
    const CursorState& pointer() const { return pointer_; }
    // Where the pointer image lands, unclipped, and the part of it shown (clipped to the
    // focused picture and the target); empty when hidden.
    Rect pointer_quad() const;
    Rect pointer_rect() const;
    // A target position mapped into the focused source's picture.
    SourcePoint to_source(double x, double y) const;

private:
    struct Picture {
        std::shared_ptr<const Buffer> buffer;
        bool ended = false;
    };
    Rect target() const { return Rect{0, 0, int32_t(width_), int32_t(height_)}; }
    void damage_tile(size_t i);

    ScaleMode scale_;
    bool linear_;
    TileMode mode_ = TileMode::Grid;
    uint32_t focus_ = 0;
    uint32_t width_ = 0, height_ = 0;
    std::vector<Picture> pictures_;
    const HudCanvas* hud_ = nullptr;
    CursorState pointer_;
    Region damage_;
};

// "ended" in the HUD's 5×7 font on a dark box in the middle of area: the fills, in order.
std::vector<SceneFill> ended_label(const Rect& area);
// The amber frame around a tile: four fills.
std::vector<SceneFill> focus_frame(const Rect& tile);

} // namespace udmaview
