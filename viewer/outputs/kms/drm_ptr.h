// SPDX-License-Identifier: MIT
// libdrm query results (drmModeGet*, drmGetVersion) owned by std::unique_ptr with their
// drmModeFree* function: each is freed exactly once, on every return path.
#pragma once

#include <memory>

#include <xf86drm.h>
#include <xf86drmMode.h>

namespace udmaview::kms {

template <auto Free> struct DrmDeleter {
    template <typename T> void operator()(T* p) const { Free(p); }
};

template <typename T, auto Free> using DrmPtr = std::unique_ptr<T, DrmDeleter<Free>>;

using DrmVersionPtr = DrmPtr<drmVersion, drmFreeVersion>;
using ModeResPtr = DrmPtr<drmModeRes, drmModeFreeResources>;
using ModeCrtcPtr = DrmPtr<drmModeCrtc, drmModeFreeCrtc>;
using ModeConnectorPtr = DrmPtr<drmModeConnector, drmModeFreeConnector>;
using ModeEncoderPtr = DrmPtr<drmModeEncoder, drmModeFreeEncoder>;
using ModePlaneResPtr = DrmPtr<drmModePlaneRes, drmModeFreePlaneResources>;
using ModePlanePtr = DrmPtr<drmModePlane, drmModeFreePlane>;
using ModeObjectPropertiesPtr = DrmPtr<drmModeObjectProperties, drmModeFreeObjectProperties>;
using ModePropertyPtr = DrmPtr<drmModePropertyRes, drmModeFreeProperty>;
using AtomicReqPtr = DrmPtr<drmModeAtomicReq, drmModeAtomicFree>;

} // namespace udmaview::kms
