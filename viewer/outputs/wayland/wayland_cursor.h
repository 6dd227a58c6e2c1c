// SPDX-License-Identifier: MIT
// The guest's pointer image as the Wayland cursor: a wl_surface of our own with the guest's
// image in a wl_shm buffer (premultiplied ARGB8888, as wl_shm wants), set on every pointer
// enter with the guest's hot spot (wl_pointer.set_cursor), and set again when the guest
// defines a new image or hides its pointer. Nothing is drawn into the picture. The image is
// shown at its own size (one guest pixel a surface pixel), whatever the picture's scale.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>

#include "outputs/wayland/wayland_connection.h"
#include "udmaview/cursor.h"
#include "udmaview/mapping.h"
#include "udmaview/memfd.h"

namespace udmaview::wl {

class WaylandCursor {
public:
    explicit WaylandCursor(WaylandConnection& conn);
    ~WaylandCursor();
    WaylandCursor(const WaylandCursor&) = delete;
    WaylandCursor& operator=(const WaylandCursor&) = delete;

    // The guest's pointer changed: a new image is copied into a wl_shm buffer, once.
    void set(const CursorState& state);
    // The pointer entered one of the window's surfaces (serial of that enter) or left it
    // (pointer null): the cursor is set while it is inside.
    void pointer_at(wl_pointer* pointer, uint32_t serial);
    // Images copied into wl_shm buffers, and wl_pointer.set_cursor requests made.
    uint64_t images() const { return images_; }
    uint64_t sets() const { return sets_; }

private:
    struct Image {
        std::optional<Memfd> memfd;
        std::optional<Mapping> pixels;
        wl_buffer* buffer = nullptr;
        int32_t hot_x = 0, hot_y = 0;
        ~Image();
    };
    // The image in a buffer of its own; nullptr when memory for it cannot be had (then the
    // compositor's cursor stays, said once).
    std::unique_ptr<Image> make(const CursorImage& image);
    void apply();

    WaylandConnection& conn_;
    Ptr<wl_surface> surface_;
    std::unique_ptr<Image> image_;
    const CursorImage* source_ = nullptr; // which guest image image_ holds
    bool visible_ = false;
    wl_pointer* pointer_ = nullptr;
    uint32_t serial_ = 0;
    bool said_ = false;
    uint64_t images_ = 0, sets_ = 0;
};

} // namespace udmaview::wl
