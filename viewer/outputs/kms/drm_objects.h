// SPDX-License-Identifier: MIT
// Thin RAII over libdrm: each class owns exactly one kernel object and frees it once.
// Objects keep the device's fd number, not the fd: the DrmDevice must outlive them.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>

#include "udmaview/error.h"
#include "udmaview/mapping.h"
#include "udmaview/unique_fd.h"

namespace udmaview::kms {

// An open /dev/dri/card* with the client caps the output needs.
class DrmDevice {
public:
    // Opens path (O_RDWR | O_CLOEXEC) and reads the driver name; errors say what to do.
    static Result<DrmDevice> open(const std::string& path);

    int fd() const { return fd_.get(); }
    const std::string& path() const { return path_; }
    const std::string& driver() const { return driver_; }
    // "card0 (cirrus)" for messages.
    std::string describe() const;

    bool has_cap(uint64_t cap) const;
    // Turns on universal planes and (unless disabled) atomic; false: legacy only.
    bool enable_atomic(bool allow_atomic);
    bool atomic() const { return atomic_; }

    bool is_master() const;
    Status acquire_master();
    void drop_master();

private:
    UniqueFd fd_;
    std::string path_;
    std::string driver_;
    bool atomic_ = false;
};

// A GEM handle (from PRIME import or a dumb buffer creation); GEM_CLOSE on destruction.
class GemHandle {
public:
    GemHandle() = default;
    GemHandle(int fd, uint32_t handle)
        : fd_(fd)
        , handle_(handle) {}
    GemHandle(GemHandle&& o) noexcept
        : fd_(o.fd_)
        , handle_(std::exchange(o.handle_, 0)) {}
    GemHandle& operator=(GemHandle&& o) noexcept;
    GemHandle(const GemHandle&) = delete;
    GemHandle& operator=(const GemHandle&) = delete;
    ~GemHandle() { reset(); }

    static Result<GemHandle> import_dmabuf(int drm_fd, int dmabuf_fd);
    uint32_t get() const { return handle_; }
    void reset();

private:
    int fd_ = -1;
    uint32_t handle_ = 0;
};

// A KMS framebuffer id; drmModeRmFB on destruction (do not destroy one that is on screen:
// the kernel would switch the plane off).
class Framebuffer {
public:
    Framebuffer() = default;
    Framebuffer(int fd, uint32_t id)
        : fd_(fd)
        , id_(id) {}
    Framebuffer(Framebuffer&& o) noexcept
        : fd_(o.fd_)
        , id_(std::exchange(o.id_, 0)) {}
    Framebuffer& operator=(Framebuffer&& o) noexcept;
    Framebuffer(const Framebuffer&) = delete;
    Framebuffer& operator=(const Framebuffer&) = delete;
    ~Framebuffer() { reset(); }

    struct Desc {
        uint32_t width, height, fourcc, pitch, offset;
        uint64_t modifier;
        bool use_modifier;
    };
    // drmModeAddFB2(WithModifiers) over one GEM handle.
    static Result<Framebuffer> add(int drm_fd, uint32_t gem_handle, const Desc& desc);
    uint32_t id() const { return id_; }
    void reset();

private:
    int fd_ = -1;
    uint32_t id_ = 0;
};

// A property blob (mode, damage clips); destroyed with the object.
class PropertyBlob {
public:
    PropertyBlob() = default;
    PropertyBlob(PropertyBlob&& o) noexcept
        : fd_(o.fd_)
        , id_(std::exchange(o.id_, 0)) {}
    PropertyBlob& operator=(PropertyBlob&& o) noexcept;
    PropertyBlob(const PropertyBlob&) = delete;
    PropertyBlob& operator=(const PropertyBlob&) = delete;
    ~PropertyBlob() { reset(); }

    static Result<PropertyBlob> create(int drm_fd, const void* data, size_t size, const char* what);
    uint32_t id() const { return id_; }
    void reset();

private:
    PropertyBlob(int fd, uint32_t id)
        : fd_(fd)
        , id_(id) {}
    int fd_ = -1;
    uint32_t id_ = 0;
};

// A dumb buffer: GEM handle, pitch, size and a CPU mapping.
class DumbBuffer {
public:
    DumbBuffer() = default;
    DumbBuffer(DumbBuffer&& o) noexcept
        : fd_(o.fd_)
        , handle_(std::exchange(o.handle_, 0))
        , pitch_(o.pitch_)
        , size_(o.size_)
        , map_(std::move(o.map_)) {}
    DumbBuffer& operator=(DumbBuffer&&) noexcept;
    DumbBuffer(const DumbBuffer&) = delete;
    DumbBuffer& operator=(const DumbBuffer&) = delete;
    ~DumbBuffer() { reset(); }

    static Result<DumbBuffer> create(int drm_fd, uint32_t width, uint32_t height, uint32_t bpp);
    uint32_t handle() const { return handle_; }
    uint32_t pitch() const { return pitch_; }
    uint8_t* data() const { return map_.data(); }
    uint64_t size() const { return size_; }
    void reset();

private:
    int fd_ = -1;
    uint32_t handle_ = 0;
    uint32_t pitch_ = 0;
    uint64_t size_ = 0;
    Mapping map_;
};

// The properties of one KMS object by name (ids and current values).
class ObjectProperties {
public:
    static ObjectProperties read(int drm_fd, uint32_t object_id, uint32_t object_type);
    struct Prop {
        uint32_t id;
        uint64_t value;
    };
    std::optional<Prop> find(const std::string& name) const;
    uint32_t id(const std::string& name) const { // 0 when absent
        auto p = find(name);
        return p ? p->id : 0;
    }
    const std::map<std::string, Prop>& all() const { return props_; }

private:
    std::map<std::string, Prop> props_;
};

} // namespace udmaview::kms
