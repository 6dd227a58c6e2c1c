// SPDX-License-Identifier: MIT
#include "outputs/wayland/dmabuf_formats.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include <sys/mman.h>
#include <unistd.h>

#include "udmaview/format.h"

namespace udmaview::wl {

namespace {

constexpr size_t table_entry = 16; // uint32 format, uint32 padding, uint64 modifier

} // namespace

DmabufFormats::DmabufFormats(zwp_linux_dmabuf_v1* dmabuf, uint32_t version)
    : dmabuf_(dmabuf)
    , version_(version) {
    static const zwp_linux_dmabuf_v1_listener listener = {.format = &DmabufFormats::on_format,
                                                          .modifier = &DmabufFormats::on_modifier};
    zwp_linux_dmabuf_v1_add_listener(dmabuf, &listener, this);
    if (version < 4)
        return;
    static const zwp_linux_dmabuf_feedback_v1_listener fb_listener = {
        .done = &DmabufFormats::on_done,
        .format_table = &DmabufFormats::on_format_table,
        .main_device = &DmabufFormats::on_main_device,
        .tranche_done = &DmabufFormats::on_tranche_done,
        .tranche_target_device = &DmabufFormats::on_tranche_target_device,
        .tranche_formats = &DmabufFormats::on_tranche_formats,
        .tranche_flags = &DmabufFormats::on_tranche_flags,
    };
    feedback_.reset(zwp_linux_dmabuf_v1_get_default_feedback(dmabuf));
    zwp_linux_dmabuf_feedback_v1_add_listener(feedback_.get(), &fb_listener, this);
}

DmabufFormats::~DmabufFormats() {
    if (table_)
        ::munmap(const_cast<uint8_t*>(table_), table_size_);
}

void DmabufFormats::on_modifier(void* data, zwp_linux_dmabuf_v1*, uint32_t format, uint32_t hi,
                                uint32_t lo) {
    static_cast<DmabufFormats*>(data)->pairs_.insert({format, uint64_t(hi) << 32 | lo});
}

void DmabufFormats::on_format_table(void* data, zwp_linux_dmabuf_feedback_v1*, int32_t fd,
                                    uint32_t size) {
    auto* self = static_cast<DmabufFormats*>(data);
    // A new table replaces the old one (the feedback may be sent again).
    if (self->table_)
        ::munmap(const_cast<uint8_t*>(self->table_), self->table_size_);
    self->table_ = nullptr;
    self->table_size_ = 0;
    // The protocol asks for MAP_PRIVATE: the compositor may share one table among clients.
    void* p = size ? ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0) : MAP_FAILED;
    const int err = errno;
    ::close(fd);
    if (p == MAP_FAILED) {
        self->problem_ = "its format table (" + std::to_string(size) +
                         " bytes) cannot be mapped: " + std::strerror(size ? err : EINVAL);
        return;
    }
    self->table_ = static_cast<const uint8_t*>(p);
    self->table_size_ = size;
}

void DmabufFormats::on_tranche_formats(void* data, zwp_linux_dmabuf_feedback_v1*,
                                       wl_array* indices) {
    auto* self = static_cast<DmabufFormats*>(data);
    const auto* idx = static_cast<const uint16_t*>(indices->data);
    for (size_t i = 0; i < indices->size / sizeof(uint16_t); ++i) {
        const size_t at = size_t(idx[i]) * table_entry;
        if (!self->table_ || at + table_entry > self->table_size_) {
            self->problem_ =
                "a tranche names entry " + std::to_string(idx[i]) + " beyond its format table";
            continue;
        }
        uint32_t format = 0;
        uint64_t modifier = 0;
        std::memcpy(&format, self->table_ + at, sizeof format);
        std::memcpy(&modifier, self->table_ + at + 8, sizeof modifier);
        self->pairs_.insert({format, modifier});
    }
}

void DmabufFormats::on_done(void* data, zwp_linux_dmabuf_feedback_v1*) {
    static_cast<DmabufFormats*>(data)->done_ = true;
}

bool DmabufFormats::linear_modifier(uint32_t fourcc, uint64_t& modifier) const {
    for (uint64_t m : {uint64_t(0) /* DRM_FORMAT_MOD_LINEAR */, modifier_invalid})
        if (has(fourcc, m)) {
            modifier = m;
            return true;
        }
    return false;
}

std::string DmabufFormats::describe() const {
    std::string s;
    for (const auto& [format, modifier] : pairs_) {
        std::string name(4, ' ');
        for (int i = 0; i < 4; ++i)
            name[size_t(i)] = char((format >> (8 * i)) & 0xff);
        char mod[24];
        std::snprintf(mod, sizeof mod, "0x%llx", static_cast<unsigned long long>(modifier));
        s += (s.empty() ? "" : " ") + name + ":" +
             (modifier == 0                  ? std::string("linear")
              : modifier == modifier_invalid ? std::string("invalid")
                                             : std::string(mod));
    }
    return s.empty() ? "none" : s;
}

} // namespace udmaview::wl
