// SPDX-License-Identifier: MIT
#pragma once

#include <EGL/egl.h>
#include <EGL/eglext.h>
#include <memory>
#include <string>

#include "udmaview/error.h"

namespace udmaview {

enum class EglDevicePick {
    Preferred, // a GPU's device (EGL_EXT_device_drm) when one samples imports, else software
    Software,  // only the device whose extensions list EGL_MESA_device_software
};

// A GLES context without a window: an EGL display of the device platform
// (EGL_EXT_device_enumeration, EGL_EXT_platform_device) and a surfaceless context current on
// the calling thread. Mesa's software device runs the swrast driver, whose llvmpipe imports a
// dma-buf (or any mmap-able fd, e.g. a memfd) by mapping the fd itself: sampling it is zero
// copy. A GPU's device is preferred where there is one; the kms_swrast driver a GPU-less DRM
// device gets (vgem, virtio-gpu without 3D, cirrus) is skipped, because sampling an import
// there crashes (llvmpipe reads through a failed DRM_IOCTL_MODE_MAP_DUMB).
class EglDeviceDisplay {
public:
    static Result<std::unique_ptr<EglDeviceDisplay>> open(EglDevicePick pick);
    ~EglDeviceDisplay();
    EglDeviceDisplay(const EglDeviceDisplay&) = delete;
    EglDeviceDisplay& operator=(const EglDeviceDisplay&) = delete;

    EGLDisplay display() const { return display_; }
    Status make_current() const;
    bool software() const { return software_; }
    // "software" or the device's DRM node, and the EGL driver's name ("swrast", "iris", …).
    const std::string& device() const { return device_; }
    const std::string& driver() const { return driver_; }
    std::string describe() const;

private:
    EglDeviceDisplay() = default;
    Status init(EGLDeviceEXT device);

    EGLDisplay display_ = EGL_NO_DISPLAY;
    EGLContext context_ = EGL_NO_CONTEXT;
    bool software_ = false;
    std::string device_, driver_, version_;
};

} // namespace udmaview
