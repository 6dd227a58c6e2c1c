// SPDX-License-Identifier: MIT
// What the compositor's zwp_linux_dmabuf_v1 takes: the format + modifier pairs of its default
// feedback (v4: the format table, read from its memfd, indexed by the tranches) or of its
// modifier events (v3). A dma-buf goes to the compositor only as a pair listed here.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <utility>

#include "outputs/wayland/wl_ptr.h"

namespace udmaview::wl {

constexpr uint64_t modifier_invalid = 0x00ffffffffffffffull; // DRM_FORMAT_MOD_INVALID

class DmabufFormats {
public:
    // Takes the bound global; the events it asks for arrive with the next round trip.
    DmabufFormats(zwp_linux_dmabuf_v1* dmabuf, uint32_t version);
    ~DmabufFormats();
    DmabufFormats(const DmabufFormats&) = delete;
    DmabufFormats& operator=(const DmabufFormats&) = delete;

    zwp_linux_dmabuf_v1* get() const { return dmabuf_.get(); }
    uint32_t version() const { return version_; }
    // v4: the default feedback's done came; v3 and older: true (their events have no end).
    bool complete() const { return version_ < 4 || done_; }
    bool has(uint32_t fourcc, uint64_t modifier) const {
        return pairs_.count({fourcc, modifier}) != 0;
    }
    // The modifier a linear buffer of this format is sent with: DRM_FORMAT_MOD_LINEAR when
    // listed, else DRM_FORMAT_MOD_INVALID (the driver's implicit layout) when listed, else
    // nothing (false).
    bool linear_modifier(uint32_t fourcc, uint64_t& modifier) const;
    // "XR24:linear AR24:invalid …" for messages; "none" when empty.
    std::string describe() const;
    // A reason the feedback could not be read ("" : it was); said once by the output.
    const std::string& problem() const { return problem_; }

private:
    static void on_format(void*, zwp_linux_dmabuf_v1*, uint32_t) {}
    static void on_modifier(void* data, zwp_linux_dmabuf_v1*, uint32_t format, uint32_t hi,
                            uint32_t lo);
    static void on_done(void* data, zwp_linux_dmabuf_feedback_v1*);
    static void on_format_table(void* data, zwp_linux_dmabuf_feedback_v1*, int32_t fd,
                                uint32_t size);
    static void on_main_device(void*, zwp_linux_dmabuf_feedback_v1*, wl_array*) {}
    static void on_tranche_done(void*, zwp_linux_dmabuf_feedback_v1*) {}
    static void on_tranche_target_device(void*, zwp_linux_dmabuf_feedback_v1*, wl_array*) {}
    static void on_tranche_formats(void* data, zwp_linux_dmabuf_feedback_v1*, wl_array* indices);
    static void on_tranche_flags(void*, zwp_linux_dmabuf_feedback_v1*, uint32_t) {}

    Ptr<zwp_linux_dmabuf_v1> dmabuf_;
    Ptr<zwp_linux_dmabuf_feedback_v1> feedback_;
    uint32_t version_ = 0;
    bool done_ = false;
    // The format table as the compositor sent it: 16 bytes an entry (format, pad, modifier).
    const uint8_t* table_ = nullptr;
    size_t table_size_ = 0;
    std::set<std::pair<uint32_t, uint64_t>> pairs_;
    std::string problem_;
};

} // namespace udmaview::wl
