// SPDX-License-Identifier: MIT
#include "outputs/kms/drm_objects.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>

#include "outputs/kms/drm_ptr.h"

namespace udmaview::kms {

DrmDevice::DrmDevice(DeviceNode fd, std::string path, std::string driver)
    : fd_(std::move(fd))
    , path_(std::move(path))
    , driver_(std::move(driver)) {}

Result<std::unique_ptr<DrmDevice>> DrmDevice::open(const std::string& path,
                                                   const DeviceOpener& opener) {
    DeviceNode fd;
    if (opener) {
        Result<DeviceNode> node = opener(path);
        if (!node)
            return node.error();
        fd = std::move(*node);
    } else {
        fd = DeviceNode(UniqueFd(::open(path.c_str(), O_RDWR | O_CLOEXEC)), {});
    }
    if (!fd) {
        const int err = errno;
        std::string hint;
        if (err == ENOENT)
            hint = "no such DRM device; run 'udmaview --list' to see the cards, or load the "
                   "display driver";
        else if (err == EACCES || err == EPERM)
            hint = "run as root or add yourself to the 'video' group";
        else
            hint = "check that the display driver is loaded";
        return Error::from_errno(err, "kms: cannot open " + path, hint);
    }
    const DrmVersionPtr version(drmGetVersion(fd.get()));
    if (!version)
        return Error::from_errno(errno ? errno : ENOTTY, "kms: " + path + " is not a DRM device",
                                 "pass a /dev/dri/cardN node with --device");
    std::string driver(version->name, size_t(version->name_len));
    return std::unique_ptr<DrmDevice>(new DrmDevice(std::move(fd), path, std::move(driver)));
}

std::string DrmDevice::describe() const {
    return path_ + " (" + driver_ + ")";
}

bool DrmDevice::has_cap(uint64_t cap) const {
    uint64_t value = 0;
    return drmGetCap(fd(), cap, &value) == 0 && value != 0;
}

bool DrmDevice::enable_atomic(bool allow_atomic) {
    drmSetClientCap(fd(), DRM_CLIENT_CAP_UNIVERSAL_PLANES, 1);
    atomic_ = allow_atomic && drmSetClientCap(fd(), DRM_CLIENT_CAP_ATOMIC, 1) == 0;
    return atomic_;
}

bool DrmDevice::is_master() const {
    return drmIsMaster(fd()) != 0;
}

Status DrmDevice::acquire_master() {
    if (is_master())
        return {};
    if (drmSetMaster(fd()) == 0)
        return {};
    const int err = errno;
    return Error::from_errno(err, "kms: cannot become DRM master of " + describe(),
                             "another program (a compositor, X, another udmaview) is using the "
                             "display: stop it or switch to a free VT and try again");
}

void DrmDevice::drop_master() {
    if (fd_ && is_master())
        drmDropMaster(fd());
}

void close_gem_handle(const DrmDevice& dev, uint32_t handle) {
    drmCloseBufferHandle(dev.fd(), handle);
}

void remove_framebuffer(const DrmDevice& dev, uint32_t fb_id) {
    drmModeRmFB(dev.fd(), fb_id);
}

void destroy_property_blob(const DrmDevice& dev, uint32_t blob_id) {
    drmModeDestroyPropertyBlob(dev.fd(), blob_id);
}

void destroy_dumb_buffer(const DrmDevice& dev, uint32_t handle) {
    drmModeDestroyDumbBuffer(dev.fd(), handle);
}

Result<GemHandle> import_dmabuf(const DrmDevice& dev, int dmabuf_fd) {
    uint32_t handle = 0;
    if (drmPrimeFDToHandle(dev.fd(), dmabuf_fd, &handle) != 0)
        return Error::from_errno(errno, "drmPrimeFDToHandle");
    return GemHandle(dev, handle);
}

Result<Framebuffer> add_framebuffer(const DrmDevice& dev, uint32_t gem_handle,
                                    const FramebufferDesc& d) {
    uint32_t handles[4] = {gem_handle, 0, 0, 0};
    uint32_t pitches[4] = {d.pitch, 0, 0, 0};
    uint32_t offsets[4] = {d.offset, 0, 0, 0};
    uint64_t modifiers[4] = {d.modifier, 0, 0, 0};
    uint32_t id = 0;
    int rc = d.use_modifier ? drmModeAddFB2WithModifiers(dev.fd(), d.width, d.height, d.fourcc,
                                                         handles, pitches, offsets, modifiers, &id,
                                                         DRM_MODE_FB_MODIFIERS)
                            : drmModeAddFB2(dev.fd(), d.width, d.height, d.fourcc, handles, pitches,
                                            offsets, &id, 0);
    if (rc != 0)
        return Error::from_errno(errno, "drmModeAddFB2");
    return Framebuffer(dev, id);
}

Result<PropertyBlob> create_property_blob(const DrmDevice& dev, const void* data, size_t size,
                                          const char* what) {
    uint32_t id = 0;
    if (drmModeCreatePropertyBlob(dev.fd(), data, size, &id) != 0)
        return Error::from_errno(errno, std::string("kms: creating the ") + what +
                                            " property blob failed");
    return PropertyBlob(dev, id);
}

Result<DumbBuffer> DumbBuffer::create(const DrmDevice& dev, uint32_t width, uint32_t height,
                                      uint32_t bpp) {
    DumbBuffer b;
    uint32_t handle = 0;
    if (drmModeCreateDumbBuffer(dev.fd(), width, height, bpp, 0, &handle, &b.pitch_, &b.size_) != 0)
        return Error::from_errno(errno,
                                 "kms: creating a " + std::to_string(width) + "x" +
                                     std::to_string(height) + " dumb buffer failed",
                                 "the driver has no dumb buffers or too little video memory");
    b.handle_ = DrmHandle<destroy_dumb_buffer>(dev, handle);
    uint64_t offset = 0;
    if (drmModeMapDumbBuffer(dev.fd(), handle, &offset) != 0)
        return Error::from_errno(errno, "kms: preparing the dumb buffer mapping failed");
    Result<Mapping> map =
        Mapping::map(dev.fd(), offset, size_t(b.size_), PROT_READ | PROT_WRITE, "dumb buffer");
    if (!map)
        return map.error();
    b.map_ = std::move(*map);
    std::memset(b.map_.data(), 0, b.map_.size());
    return b;
}

} // namespace udmaview::kms
