// SPDX-License-Identifier: MIT
// A guest buffer as a zwp_linux_dmabuf_v1 buffer: its own dma-buf (a udmabuf of the guest's
// memfd, or QEMU's), so the compositor imports the guest's pages (GPU texture or scan-out)
// and udmaview copies nothing. Only format + modifier pairs the compositor listed are sent.
#pragma once

#include <cstdint>
#include <string>

#include "outputs/wayland/dmabuf_formats.h"
#include "outputs/wayland/wayland_connection.h"
#include "udmaview/frame.h"

namespace udmaview::wl {

class DmabufBuffers {
public:
    explicit DmabufBuffers(WaylandConnection& conn)
        : conn_(conn) {}

    // Why this buffer does not go as a dma-buf ("" : it does): it has none, the compositor
    // offers no linux-dmabuf, or does not list its format with a linear modifier (with its
    // own modifier, for a tiled one).
    std::string why_not(const Buffer& buffer) const;
    // The modifier it is sent with (why_not() == ""): a linear buffer's
    // DRM_FORMAT_MOD_LINEAR or _INVALID as listed, else its own.
    uint64_t modifier(const Buffer& buffer) const;
    // A new wl_buffer for the buffer's dma-buf (why_not() must be ""): created, and the
    // compositor's answer waited for; an Error naming the buffer when it refused it.
    Result<wl_buffer*> create(const Buffer& buffer);

private:
    static void on_created(void* data, zwp_linux_buffer_params_v1*, wl_buffer* buffer);
    static void on_failed(void* data, zwp_linux_buffer_params_v1*);

    WaylandConnection& conn_;
    wl_buffer* created_ = nullptr;
    bool answered_ = false;
};

} // namespace udmaview::wl
