// SPDX-License-Identifier: MIT
// Which way a guest buffer goes to the compositor, decided once per buffer: its dma-buf
// (zwp_linux_dmabuf_v1) where the compositor lists its format with a linear modifier, else a
// wl_shm pool of its memfd, else nothing (the output converts it). A bottom-up buffer goes
// only as a dma-buf (flagged Y_INVERT). One line names the way and why, once per reason.
#pragma once

#include <cstdint>
#include <set>
#include <string>

#include "outputs/wayland/dmabuf_buffers.h"
#include "outputs/wayland/held_buffers.h"
#include "outputs/wayland/shm_buffers.h"

namespace udmaview::wl {

class BufferChoice {
public:
    explicit BufferChoice(WaylandConnection& conn)
        : conn_(conn)
        , shm_(conn)
        , dmabuf_(conn) {}

    struct Chosen {
        wl_buffer* buffer = nullptr; // nullptr: neither way; convert (why says why)
        BufferKind kind = BufferKind::Shm;
        std::string why;
        // A bottom-up buffer only a dma-buf can hand over (Y_INVERT): not converted either.
        bool refused = false;
    };
    // The buffer's own wl_buffer, made on first use (imports counts that).
    Chosen get(const Buffer& buffer, uint32_t& imports);
    HeldBuffers& held() { return held_; }
    const HeldBuffers& held() const { return held_; }

private:
    void say(const std::string& line);

    WaylandConnection& conn_;
    ShmBuffers shm_;
    DmabufBuffers dmabuf_;
    HeldBuffers held_;
    std::set<std::string> said_;
};

} // namespace udmaview::wl
