// SPDX-License-Identifier: MIT
// GBM on the KMS card: the device, and a surface of scanout buffers EGL renders into. Each
// buffer object (BO) gets its KMS framebuffer once, kept in the BO's user data and removed
// with the BO (kmscube's drm_fb_get_from_bo), so a frame is a lookup, never an AddFB.
#pragma once

#include <cstdint>
#include <memory>

#include <gbm.h>

#include "outputs/kms/drm_objects.h"

namespace udmaview::kms {

// gbm_device over a DrmDevice's fd (the device must outlive it).
class GbmDevice {
public:
    static Result<std::unique_ptr<GbmDevice>> create(const DrmDevice& dev);
    ~GbmDevice();
    GbmDevice(const GbmDevice&) = delete;
    GbmDevice& operator=(const GbmDevice&) = delete;
    gbm_device* get() const { return gbm_; }
    const DrmDevice& drm() const { return dev_; }

private:
    GbmDevice(const DrmDevice& dev, gbm_device* gbm)
        : dev_(dev)
        , gbm_(gbm) {}
    const DrmDevice& dev_;
    gbm_device* gbm_;
};

// A gbm_surface of width × height in format, for scanout and rendering. The buffers EGL
// finished are locked here (front()) until release(); at most two are out at once (on screen
// and queued), the others stay free for EGL to render into.
class GbmScanoutSurface {
public:
    static Result<std::unique_ptr<GbmScanoutSurface>> create(const GbmDevice& gbm, uint32_t width,
                                                             uint32_t height, uint32_t format);
    ~GbmScanoutSurface();
    GbmScanoutSurface(const GbmScanoutSurface&) = delete;
    GbmScanoutSurface& operator=(const GbmScanoutSurface&) = delete;

    gbm_surface* get() const { return surface_; }
    uint32_t width() const { return width_; }
    uint32_t height() const { return height_; }
    uint32_t format() const { return format_; }

    // The buffer EGL just swapped: locked, with its framebuffer (made on first use).
    struct Front {
        gbm_bo* bo = nullptr;
        uint32_t fb_id = 0;
        uint32_t pitch = 0;
    };
    Result<Front> lock_front();
    // Gives a locked buffer back to the surface (it is neither on screen nor queued).
    void release(gbm_bo* bo);

private:
    GbmScanoutSurface(const GbmDevice& gbm, gbm_surface* surface, uint32_t width, uint32_t height,
                      uint32_t format)
        : gbm_(gbm)
        , surface_(surface)
        , width_(width)
        , height_(height)
        , format_(format) {}
    Result<uint32_t> framebuffer_of(gbm_bo* bo);

    const GbmDevice& gbm_;
    gbm_surface* surface_;
    uint32_t width_, height_, format_;
};

} // namespace udmaview::kms
