// SPDX-License-Identifier: MIT
// The guest's buffers as wl_buffers: a wl_shm pool made from the buffer's own memfd, so the
// compositor reads the pages the guest writes and udmaview copies nothing. One wl_buffer
// per BufferId, made once. A buffer the compositor still holds (attached, not released) is
// destroyed only after its release, when the source retires it earlier.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "outputs/wayland/wayland_connection.h"
#include "udmaview/frame.h"

namespace udmaview::wl {

// WL_SHM_FORMAT_* for a DRM fourcc; nullopt where wl_shm has no code for it.
uint32_t shm_format_for(uint32_t fourcc);

class ShmBuffers {
public:
    explicit ShmBuffers(WaylandConnection& conn)
        : conn_(conn) {}
    ~ShmBuffers();
    ShmBuffers(const ShmBuffers&) = delete;
    ShmBuffers& operator=(const ShmBuffers&) = delete;

    // Why the compositor cannot read this buffer itself ("" : it can): not one memfd range,
    // or a format its wl_shm does not list. Such buffers are converted (ShmConverter).
    std::string why_not(const Buffer& buffer) const;
    // The buffer's wl_buffer, made on first use (imports counts that); an Error naming the
    // buffer when why_not() is not "".
    Result<wl_buffer*> get(const Buffer& buffer, uint32_t& imports);
    // The wl_buffer was attached and committed: the compositor holds it until release.
    void attached(BufferId id);
    // The source let go of the buffer: destroyed now, or on its release.
    void retire(BufferId id);
    size_t size() const { return entries_.size(); }
    // wl_buffer.release events seen (the compositor let go of a committed buffer).
    uint64_t releases() const { return releases_; }

private:
    struct Entry {
        ShmBuffers* owner = nullptr;
        BufferId id = 0;
        wl_buffer* buffer = nullptr;
        bool held = false;    // committed and not released yet
        bool retired = false; // the source let go: destroy on release
    };
    static void on_release(void* data, wl_buffer*);
    void destroy(Entry& e);

    WaylandConnection& conn_;
    std::map<BufferId, std::unique_ptr<Entry>> entries_;
    uint64_t releases_ = 0;
};

} // namespace udmaview::wl
