// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <map>
#include <memory>

#include "udmaview/format.h"
#include "udmaview/frame.h"
#include "udmaview/mapping.h"
#include "udmaview/output.h"
#include "udmaview/region.h"
#include "udmaview/scale_mode.h"

namespace udmaview {

// Memory the software path draws into (a window surface), its pixels described as a Format so
// the source's own channel conversion applies. A format without alpha bits leaves the pixel's
// spare bits as they come (an opaque window ignores them).
struct PixelTarget {
    uint8_t* pixels = nullptr;
    uint32_t pitch = 0; // bytes per row
    uint32_t width = 0, height = 0;
    Format format{};
};

// Source damage (buffer rows as stored) in window pixels for a picture placed at viewport
// (compute_viewport): every window pixel whose nearest-sampled source pixel changed, rows of a
// bottom-up buffer flipped, clipped to the window.
Region damage_to_window(const Region& damage, const Layout& layout, const Rect& viewport,
                        uint32_t win_w, uint32_t win_h);

// Writes the window pixels of rect that the picture covers (rect ∩ viewport ∩ target) from the
// buffer bytes at buffer. Each window pixel takes the source pixel under its centre, as the GL
// path's nearest filter does: x = floor((d + 0.5) · src_w / viewport.w), d the pixel's offset
// in the viewport (rows alike, counted from the bottom for bottom-up buffers). True when it
// copied the rows as they are (same channel layout, 1:1), the path this output exists for.
bool write_rect(const uint8_t* buffer, const Layout& layout, const Rect& viewport,
                const PixelTarget& target, const Rect& rect);

// Paints rect (clipped to the target) black.
void fill_black(const PixelTarget& target, const Rect& rect);

// The software half of the sdl output: keeps a CPU mapping per BufferId and writes the changed
// part of the current picture, scaled by --scale with nearest sampling, into a window surface.
class SoftwareView {
public:
    explicit SoftwareView(ScaleMode scale)
        : scale_(scale) {}

    // Makes frame's buffer current (mapped once per BufferId) and collects its damage. Counts
    // the source bytes the next draw reads: the damage, or the whole picture when the view
    // changes with it.
    Status update(const Frame& frame, SubmitStats& stats);
    // The next draw repaints the whole target (new surface, resize, expose).
    void invalidate() { view_changed_ = true; }

    struct Drawn {
        Region rects;            // window pixels written, to be pushed to the screen
        bool full = false;       // the whole target, borders included
        uint32_t fast_rects = 0; // rects copied row by row without conversion
    };
    // Writes what changed since the last draw into target (everything after the view changed:
    // borders black, picture placed anew).
    Drawn draw(const PixelTarget& target);

    const Layout* current_layout() const;
    Rect viewport(uint32_t win_w, uint32_t win_h) const;
    // Drops a buffer's mapping unless it is on screen.
    void retire(BufferId id);

private:
    struct Entry {
        std::shared_ptr<const Buffer> buffer; // kept while mapped: the mapping reads it
        Mapping mapping;
    };

    ScaleMode scale_;
    std::map<BufferId, Entry> entries_;
    BufferId current_ = 0;
    Region damage_; // buffer pixels changed since the last draw
    bool view_changed_ = true;
    uint32_t last_w_ = 0, last_h_ = 0;
};

} // namespace udmaview
