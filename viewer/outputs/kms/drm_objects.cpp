// SPDX-License-Identifier: MIT
#include "outputs/kms/drm_objects.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <xf86drm.h>
#include <xf86drmMode.h>

namespace udmaview::kms {

Result<DrmDevice> DrmDevice::open(const std::string& path) {
    UniqueFd fd(::open(path.c_str(), O_RDWR | O_CLOEXEC));
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
    drmVersionPtr version = drmGetVersion(fd.get());
    if (!version)
        return Error::from_errno(errno ? errno : ENOTTY, "kms: " + path + " is not a DRM device",
                                 "pass a /dev/dri/cardN node with --device");
    DrmDevice dev;
    dev.driver_.assign(version->name, size_t(version->name_len));
    drmFreeVersion(version);
    dev.fd_ = std::move(fd);
    dev.path_ = path;
    return dev;
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

GemHandle& GemHandle::operator=(GemHandle&& o) noexcept {
    if (this != &o) {
        reset();
        fd_ = o.fd_;
        handle_ = std::exchange(o.handle_, 0);
    }
    return *this;
}

Result<GemHandle> GemHandle::import_dmabuf(int drm_fd, int dmabuf_fd) {
    uint32_t handle = 0;
    if (drmPrimeFDToHandle(drm_fd, dmabuf_fd, &handle) != 0)
        return Error::from_errno(errno, "drmPrimeFDToHandle");
    return GemHandle(drm_fd, handle);
}

void GemHandle::reset() {
    if (handle_)
        drmCloseBufferHandle(fd_, std::exchange(handle_, 0));
}

Framebuffer& Framebuffer::operator=(Framebuffer&& o) noexcept {
    if (this != &o) {
        reset();
        fd_ = o.fd_;
        id_ = std::exchange(o.id_, 0);
    }
    return *this;
}

Result<Framebuffer> Framebuffer::add(int drm_fd, uint32_t gem_handle, const Desc& d) {
    uint32_t handles[4] = {gem_handle, 0, 0, 0};
    uint32_t pitches[4] = {d.pitch, 0, 0, 0};
    uint32_t offsets[4] = {d.offset, 0, 0, 0};
    uint64_t modifiers[4] = {d.modifier, 0, 0, 0};
    uint32_t id = 0;
    int rc =
        d.use_modifier
            ? drmModeAddFB2WithModifiers(drm_fd, d.width, d.height, d.fourcc, handles, pitches,
                                         offsets, modifiers, &id, DRM_MODE_FB_MODIFIERS)
            : drmModeAddFB2(drm_fd, d.width, d.height, d.fourcc, handles, pitches, offsets, &id, 0);
    if (rc != 0)
        return Error::from_errno(errno, "drmModeAddFB2");
    return Framebuffer(drm_fd, id);
}

void Framebuffer::reset() {
    if (id_)
        drmModeRmFB(fd_, std::exchange(id_, 0));
}

PropertyBlob& PropertyBlob::operator=(PropertyBlob&& o) noexcept {
    if (this != &o) {
        reset();
        fd_ = o.fd_;
        id_ = std::exchange(o.id_, 0);
    }
    return *this;
}

Result<PropertyBlob> PropertyBlob::create(int drm_fd, const void* data, size_t size,
                                          const char* what) {
    uint32_t id = 0;
    if (drmModeCreatePropertyBlob(drm_fd, data, size, &id) != 0)
        return Error::from_errno(errno, std::string("kms: creating the ") + what +
                                            " property blob failed");
    return PropertyBlob(drm_fd, id);
}

void PropertyBlob::reset() {
    if (id_)
        drmModeDestroyPropertyBlob(fd_, std::exchange(id_, 0));
}

DumbBuffer& DumbBuffer::operator=(DumbBuffer&& o) noexcept {
    if (this != &o) {
        reset();
        fd_ = o.fd_;
        handle_ = std::exchange(o.handle_, 0);
        pitch_ = o.pitch_;
        size_ = o.size_;
        map_ = std::move(o.map_);
    }
    return *this;
}

Result<DumbBuffer> DumbBuffer::create(int drm_fd, uint32_t width, uint32_t height, uint32_t bpp) {
    DumbBuffer b;
    b.fd_ = drm_fd;
    if (drmModeCreateDumbBuffer(drm_fd, width, height, bpp, 0, &b.handle_, &b.pitch_, &b.size_) !=
        0)
        return Error::from_errno(errno,
                                 "kms: creating a " + std::to_string(width) + "x" +
                                     std::to_string(height) + " dumb buffer failed",
                                 "the driver has no dumb buffers or too little video memory");
    uint64_t offset = 0;
    if (drmModeMapDumbBuffer(drm_fd, b.handle_, &offset) != 0)
        return Error::from_errno(errno, "kms: preparing the dumb buffer mapping failed");
    Result<Mapping> map =
        Mapping::map(drm_fd, offset, size_t(b.size_), PROT_READ | PROT_WRITE, "dumb buffer");
    if (!map)
        return map.error();
    b.map_ = std::move(*map);
    std::memset(b.map_.data(), 0, b.map_.size());
    return b;
}

void DumbBuffer::reset() {
    map_.reset();
    if (handle_)
        drmModeDestroyDumbBuffer(fd_, std::exchange(handle_, 0));
}

ObjectProperties ObjectProperties::read(int drm_fd, uint32_t object_id, uint32_t object_type) {
    ObjectProperties out;
    drmModeObjectPropertiesPtr props = drmModeObjectGetProperties(drm_fd, object_id, object_type);
    if (!props)
        return out;
    for (uint32_t i = 0; i < props->count_props; ++i) {
        drmModePropertyPtr prop = drmModeGetProperty(drm_fd, props->props[i]);
        if (!prop)
            continue;
        out.props_[prop->name] = {prop->prop_id, props->prop_values[i]};
        drmModeFreeProperty(prop);
    }
    drmModeFreeObjectProperties(props);
    return out;
}

std::optional<ObjectProperties::Prop> ObjectProperties::find(const std::string& name) const {
    auto it = props_.find(name);
    if (it == props_.end())
        return std::nullopt;
    return it->second;
}

} // namespace udmaview::kms
