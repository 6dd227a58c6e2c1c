// SPDX-License-Identifier: MIT
// For a buffer whose format the compositor's wl_shm does not list: two XRGB8888 wl_buffers
// of udmaview's own, into which pixman converts only what changed - what the free buffer
// lacks: this frame's damage and what went into the other buffer since it was last drawn.
// The bytes written are counted as copied; the path is named apart (wl-shm-convert).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>

#include <pixman.h>

#include "outputs/wayland/wayland_connection.h"
#include "udmaview/frame.h"
#include "udmaview/mapping.h"
#include "udmaview/memfd.h"

namespace udmaview::wl {

class ShmConverter {
public:
    static Result<std::unique_ptr<ShmConverter>> create(WaylandConnection& conn, uint32_t width,
                                                        uint32_t height);
    ~ShmConverter();
    ShmConverter(const ShmConverter&) = delete;
    ShmConverter& operator=(const ShmConverter&) = delete;

    uint32_t width() const { return width_; }
    uint32_t height() const { return height_; }
    // One of the two buffers is not held by the compositor.
    bool has_free() const { return !slots_[0].held || !slots_[1].held; }
    // Converts into the free buffer what it lacks of src's picture (damage: this frame's)
    // and returns it, marked held. bytes: what was written; imports: a new source mapping.
    Result<wl_buffer*> convert(const Buffer& src, const Region& damage, uint64_t& bytes,
                               uint32_t& imports);
    void retire(BufferId id) { sources_.erase(id); }
    // buffer (one of ours) was attached again as it is (a relayout): held until its release.
    void reattached(wl_buffer* buffer) {
        for (Slot& s : slots_)
            if (s.buffer == buffer)
                s.held = true;
    }

private:
    struct Slot {
        ShmConverter* owner = nullptr;
        wl_buffer* buffer = nullptr;
        pixman_image_t* image = nullptr;
        bool held = false;
        Region lacks; // what changed since this buffer was last drawn
    };
    ShmConverter() = default;
    static void on_release(void* data, wl_buffer*);

    uint32_t width_ = 0, height_ = 0;
    std::optional<Memfd> memfd_;
    std::optional<Mapping> pixels_;
    std::array<Slot, 2> slots_;
    std::map<BufferId, Mapping> sources_;
};

} // namespace udmaview::wl
