// SPDX-License-Identifier: MIT
#include "outputs/kms/gbm_surface.h"

#include <cerrno>
#include <drm_fourcc.h>
#include <xf86drm.h>

namespace udmaview::kms {

namespace {

// The framebuffer rides in the BO's user data; GBM destroys it with the BO.
void destroy_framebuffer(gbm_bo*, void* data) {
    delete static_cast<Framebuffer*>(data);
}

std::string size_string(uint32_t w, uint32_t h) {
    return std::to_string(w) + "x" + std::to_string(h);
}

} // namespace

Result<std::unique_ptr<GbmDevice>> GbmDevice::create(const DrmDevice& dev) {
    gbm_device* gbm = gbm_create_device(dev.fd());
    if (!gbm)
        return Error{"kms: gbm_create_device on " + dev.describe() +
                         " failed; install Mesa's GBM (libgbm1) or use --kms-path copy",
                     ENODEV};
    return std::unique_ptr<GbmDevice>(new GbmDevice(dev, gbm));
}

GbmDevice::~GbmDevice() {
    gbm_device_destroy(gbm_);
}

Result<std::unique_ptr<GbmScanoutSurface>>
GbmScanoutSurface::create(const GbmDevice& gbm, uint32_t width, uint32_t height, uint32_t format) {
    gbm_surface* s = gbm_surface_create(gbm.get(), width, height, format,
                                        GBM_BO_USE_SCANOUT | GBM_BO_USE_RENDERING);
    if (!s)
        return Error::from_errno(errno, "kms: gbm_surface_create of " + size_string(width, height) +
                                            " XRGB8888 scanout buffers on " + gbm.drm().describe() +
                                            " failed; use --kms-path copy");
    return std::unique_ptr<GbmScanoutSurface>(new GbmScanoutSurface(gbm, s, width, height, format));
}

GbmScanoutSurface::~GbmScanoutSurface() {
    gbm_surface_destroy(surface_); // destroys its BOs and, with them, their framebuffers
}

Result<GbmScanoutSurface::Front> GbmScanoutSurface::lock_front() {
    gbm_bo* bo = gbm_surface_lock_front_buffer(surface_);
    if (!bo)
        return Error{"kms: gbm_surface_lock_front_buffer on " + gbm_.drm().describe() +
                         " returned no buffer (all scanout buffers in use)",
                     EBUSY};
    Result<uint32_t> fb = framebuffer_of(bo);
    if (!fb) {
        gbm_surface_release_buffer(surface_, bo);
        return fb.error();
    }
    return Front{bo, *fb, gbm_bo_get_stride(bo)};
}

void GbmScanoutSurface::release(gbm_bo* bo) {
    if (bo)
        gbm_surface_release_buffer(surface_, bo);
}

Result<uint32_t> GbmScanoutSurface::framebuffer_of(gbm_bo* bo) {
    if (auto* fb = static_cast<Framebuffer*>(gbm_bo_get_user_data(bo)))
        return fb->id();
    const uint64_t modifier = gbm_bo_get_modifier(bo);
    const FramebufferDesc desc{.width = gbm_bo_get_width(bo),
                               .height = gbm_bo_get_height(bo),
                               .fourcc = gbm_bo_get_format(bo),
                               .pitch = gbm_bo_get_stride(bo),
                               .offset = gbm_bo_get_offset(bo, 0),
                               .modifier = modifier,
                               .use_modifier = modifier != DRM_FORMAT_MOD_INVALID &&
                                               gbm_.drm().has_cap(DRM_CAP_ADDFB2_MODIFIERS)};
    Result<Framebuffer> fb = add_framebuffer(gbm_.drm(), gbm_bo_get_handle(bo).u32, desc);
    if (!fb)
        return Error{"kms: " + fb.error().message + " of a GBM scanout buffer on " +
                         gbm_.drm().describe() + " failed; use --kms-path copy",
                     fb.error().errnum};
    auto* owned = new Framebuffer(std::move(*fb));
    gbm_bo_set_user_data(bo, owned, destroy_framebuffer);
    return owned->id();
}

} // namespace udmaview::kms
