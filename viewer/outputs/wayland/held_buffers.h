// SPDX-License-Identifier: MIT
// The wl_buffers made from the guest's buffers (dma-buf or wl_shm), one per BufferId, made
// once, and their lifetime: a buffer the compositor still holds (attached, not released) is
// destroyed only after its wl_buffer.release, when the source retires it earlier.
#pragma once

#include <cstdint>
#include <map>
#include <memory>

#include <wayland-client.h>

#include "udmaview/frame.h"

namespace udmaview::wl {

enum class BufferKind { Dmabuf, Shm };

class HeldBuffers {
public:
    HeldBuffers() = default;
    ~HeldBuffers();
    HeldBuffers(const HeldBuffers&) = delete;
    HeldBuffers& operator=(const HeldBuffers&) = delete;

    // The buffer's wl_buffer, nullptr when none was made for it yet.
    wl_buffer* find(BufferId id, BufferKind* kind = nullptr) const;
    // Takes ownership of a wl_buffer made for the buffer id.
    void add(BufferId id, wl_buffer* buffer, BufferKind kind);
    // The wl_buffer was attached and committed: the compositor holds it until release.
    void attached(BufferId id);
    // The source let go of the buffer: destroyed now, or on its release.
    void retire(BufferId id);
    size_t size() const { return entries_.size(); }
    // wl_buffers made of each kind over the run.
    uint64_t made(BufferKind kind) const { return made_[size_t(kind)]; }
    // wl_buffer.release events seen (the compositor let go of a committed buffer).
    uint64_t releases() const { return releases_; }

private:
    struct Entry {
        HeldBuffers* owner = nullptr;
        BufferId id = 0;
        wl_buffer* buffer = nullptr;
        BufferKind kind = BufferKind::Shm;
        bool held = false;    // committed and not released yet
        bool retired = false; // the source let go: destroy on release
    };
    static void on_release(void* data, wl_buffer*);
    void destroy(Entry& e);

    std::map<BufferId, std::unique_ptr<Entry>> entries_;
    uint64_t made_[2] = {0, 0};
    uint64_t releases_ = 0;
};

} // namespace udmaview::wl
