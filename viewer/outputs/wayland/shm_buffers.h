// SPDX-License-Identifier: MIT
// A guest buffer as a wl_shm buffer: a wl_shm pool made from the buffer's own memfd, so the
// compositor reads the pages the guest writes and udmaview copies nothing.
#pragma once

#include <cstdint>
#include <string>

#include "outputs/wayland/wayland_connection.h"
#include "udmaview/frame.h"

namespace udmaview::wl {

// WL_SHM_FORMAT_* for a DRM fourcc (wl_shm's two legacy codes, else the fourcc itself).
uint32_t shm_format_for(uint32_t fourcc);

class ShmBuffers {
public:
    explicit ShmBuffers(WaylandConnection& conn)
        : conn_(conn) {}

    // Why the compositor cannot read this buffer itself ("" : it can): not one memfd range,
    // or a format its wl_shm does not list. Such buffers are converted (ShmConverter).
    std::string why_not(const Buffer& buffer) const;
    // A new wl_buffer over the buffer's memfd; why_not() must be "".
    wl_buffer* create(const Buffer& buffer) const;

private:
    WaylandConnection& conn_;
};

} // namespace udmaview::wl
