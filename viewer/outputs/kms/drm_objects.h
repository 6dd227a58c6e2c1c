// SPDX-License-Identifier: MIT
// Thin RAII over libdrm: each handle owns exactly one kernel object and frees it once. A
// handle refers to its DrmDevice (which never moves: it lives behind a unique_ptr), so the
// device must outlive every handle made on it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include "outputs/kms/device_node.h"
#include "udmaview/error.h"
#include "udmaview/mapping.h"
#include "udmaview/unique_fd.h"

namespace udmaview::kms {

// An open /dev/dri/card* with the client caps the output needs.
class DrmDevice {
public:
    // Opens path (O_RDWR | O_CLOEXEC, or through opener: a seat) and reads the driver name;
    // errors say what to do.
    static Result<std::unique_ptr<DrmDevice>> open(const std::string& path,
                                                   const DeviceOpener& opener = {});
    DrmDevice(const DrmDevice&) = delete;
    DrmDevice& operator=(const DrmDevice&) = delete;

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
    DrmDevice(DeviceNode fd, std::string path, std::string driver);
    DeviceNode fd_;
    std::string path_;
    std::string driver_;
    bool atomic_ = false;
};

// One kernel object id on a device, released by Release(device, id) once. Move-only.
template <void (*Release)(const DrmDevice&, uint32_t)> class DrmHandle {
public:
    DrmHandle() = default;
    DrmHandle(const DrmDevice& dev, uint32_t id)
        : dev_(&dev)
        , id_(id) {}
    DrmHandle(DrmHandle&& o) noexcept
        : dev_(o.dev_)
        , id_(std::exchange(o.id_, 0)) {}
    DrmHandle& operator=(DrmHandle&& o) noexcept {
        if (this != &o) {
            reset();
            dev_ = o.dev_;
            id_ = std::exchange(o.id_, 0);
        }
        return *this;
    }
    DrmHandle(const DrmHandle&) = delete;
    DrmHandle& operator=(const DrmHandle&) = delete;
    ~DrmHandle() { reset(); }

    uint32_t id() const { return id_; }
    explicit operator bool() const { return id_ != 0; }
    void reset() {
        if (id_)
            Release(*dev_, std::exchange(id_, 0));
    }

private:
    const DrmDevice* dev_ = nullptr;
    uint32_t id_ = 0;
};

void close_gem_handle(const DrmDevice& dev, uint32_t handle);
void remove_framebuffer(const DrmDevice& dev, uint32_t fb_id);
void destroy_property_blob(const DrmDevice& dev, uint32_t blob_id);
void destroy_dumb_buffer(const DrmDevice& dev, uint32_t handle);

// A GEM handle from a PRIME import; GEM_CLOSE on destruction.
using GemHandle = DrmHandle<close_gem_handle>;
Result<GemHandle> import_dmabuf(const DrmDevice& dev, int dmabuf_fd);

// A KMS framebuffer id; drmModeRmFB on destruction (do not destroy one that is on screen:
// the kernel would switch the plane off).
using Framebuffer = DrmHandle<remove_framebuffer>;
struct FramebufferDesc {
    uint32_t width, height, fourcc, pitch, offset;
    uint64_t modifier;
    bool use_modifier;
};
// drmModeAddFB2(WithModifiers) over one GEM handle.
Result<Framebuffer> add_framebuffer(const DrmDevice& dev, uint32_t gem_handle,
                                    const FramebufferDesc& desc);

// A property blob (mode, damage clips); destroyed with the handle.
using PropertyBlob = DrmHandle<destroy_property_blob>;
Result<PropertyBlob> create_property_blob(const DrmDevice& dev, const void* data, size_t size,
                                          const char* what);

// A dumb buffer: GEM handle, pitch, size and a CPU mapping (unmapped before the handle goes).
class DumbBuffer {
public:
    static Result<DumbBuffer> create(const DrmDevice& dev, uint32_t width, uint32_t height,
                                     uint32_t bpp);
    uint32_t handle() const { return handle_.id(); }
    uint32_t pitch() const { return pitch_; }
    uint8_t* data() const { return map_.data(); }
    uint64_t size() const { return size_; }

    DumbBuffer() = default;
    DumbBuffer(DumbBuffer&&) noexcept = default;
    // The old mapping goes before the old handle, as in the destructor.
    DumbBuffer& operator=(DumbBuffer&& other) noexcept {
        map_ = std::move(other.map_);
        handle_ = std::move(other.handle_);
        pitch_ = other.pitch_;
        size_ = other.size_;
        return *this;
    }

private:
    DrmHandle<destroy_dumb_buffer> handle_;
    uint32_t pitch_ = 0;
    uint64_t size_ = 0;
    Mapping map_; // declared after handle_: destroyed first
};

} // namespace udmaview::kms
