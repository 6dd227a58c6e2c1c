// SPDX-License-Identifier: MIT
#include "render/egl_device_display.h"

#include <cerrno>
#include <cstdio>
#include <vector>

#include "render/extension_list.h"

namespace udmaview {

namespace {

std::string egl_error() {
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%04x", unsigned(eglGetError()));
    return std::string("EGL error ") + buf;
}

Error fail(const std::string& what, const std::string& device) {
    return Error{"egl: " + what + " on the EGL device " + device + " failed (" + egl_error() +
                     "); use --render cpu",
                 EIO};
}

struct DeviceFns {
    PFNEGLQUERYDEVICESEXTPROC query_devices = nullptr;
    PFNEGLQUERYDEVICESTRINGEXTPROC query_string = nullptr;
};

std::string device_string(const DeviceFns& fns, EGLDeviceEXT dev, EGLint name) {
    const char* s = fns.query_string(dev, name);
    return s ? s : "";
}

// The EGL driver's name (EGL_MESA_query_driver), "" when the display cannot say.
std::string driver_name(EGLDisplay display) {
    using DriverName = const char* (*)(EGLDisplay);
    auto fn = reinterpret_cast<DriverName>(eglGetProcAddress("eglGetDisplayDriverName"));
    const char* name = fn ? fn(display) : nullptr;
    return name ? name : "";
}

} // namespace

Result<std::unique_ptr<EglDeviceDisplay>> EglDeviceDisplay::open(EglDevicePick pick) {
    const char* client = eglQueryString(EGL_NO_DISPLAY, EGL_EXTENSIONS);
    if (!has_extension(client, "EGL_EXT_device_enumeration") ||
        !has_extension(client, "EGL_EXT_platform_device"))
        return Error{"egl: this EGL has no device platform (EGL_EXT_device_enumeration and "
                     "EGL_EXT_platform_device); install Mesa 25 or a GPU driver, or use "
                     "--render cpu",
                     ENOTSUP};
    DeviceFns fns;
    fns.query_devices =
        reinterpret_cast<PFNEGLQUERYDEVICESEXTPROC>(eglGetProcAddress("eglQueryDevicesEXT"));
    fns.query_string = reinterpret_cast<PFNEGLQUERYDEVICESTRINGEXTPROC>(
        eglGetProcAddress("eglQueryDeviceStringEXT"));
    EGLint count = 0;
    if (!fns.query_devices || !fns.query_string || !fns.query_devices(0, nullptr, &count))
        return fail("eglQueryDevicesEXT", "list");
    std::vector<EGLDeviceEXT> devices(size_t(count), nullptr);
    fns.query_devices(count, devices.data(), &count);
    devices.resize(size_t(count));

    EGLDeviceEXT software = nullptr;
    std::string skipped;
    for (EGLDeviceEXT dev : devices) {
        const std::string ext = device_string(fns, dev, EGL_EXTENSIONS);
        if (has_extension(ext.c_str(), "EGL_MESA_device_software")) {
            software = software ? software : dev;
            continue;
        }
        if (pick == EglDevicePick::Software || !has_extension(ext.c_str(), "EGL_EXT_device_drm"))
            continue;
        std::unique_ptr<EglDeviceDisplay> gpu(new EglDeviceDisplay());
        gpu->device_ = device_string(fns, dev, EGL_DRM_DEVICE_FILE_EXT);
        if (Status s = gpu->init(dev); !s)
            continue;
        if (gpu->driver_ == "kms_swrast" || gpu->driver_ == "swrast") {
            skipped += " " + gpu->device_ + " (" + gpu->driver_ + ")";
            continue;
        }
        return gpu;
    }
    if (!software)
        return Error{"egl: no EGL device lists EGL_MESA_device_software (Mesa 25's software "
                     "device; Mesa 22 has none" +
                         (skipped.empty() ? std::string() : ", skipped:" + skipped) +
                         "); use --render cpu",
                     ENODEV};
    std::unique_ptr<EglDeviceDisplay> sw(new EglDeviceDisplay());
    sw->software_ = true;
    sw->device_ = "software";
    if (Status s = sw->init(software); !s)
        return s.error();
    return sw;
}

Status EglDeviceDisplay::init(EGLDeviceEXT device) {
    display_ = eglGetPlatformDisplay(EGL_PLATFORM_DEVICE_EXT, device, nullptr);
    if (display_ == EGL_NO_DISPLAY)
        return fail("eglGetPlatformDisplay", device_);
    EGLint major = 0, minor = 0;
    if (!eglInitialize(display_, &major, &minor)) {
        display_ = EGL_NO_DISPLAY; // nothing to terminate
        return fail("eglInitialize", device_);
    }
    version_ = std::to_string(major) + "." + std::to_string(minor);
    driver_ = driver_name(display_);
    const char* ext = eglQueryString(display_, EGL_EXTENSIONS);
    if (!has_extension(ext, "EGL_KHR_surfaceless_context") ||
        !has_extension(ext, "EGL_KHR_no_config_context"))
        return Error{"egl: the EGL device " + device_ +
                         " has no EGL_KHR_surfaceless_context or EGL_KHR_no_config_context "
                         "(a context without a window); use --render cpu",
                     ENOTSUP};
    if (!eglBindAPI(EGL_OPENGL_ES_API))
        return fail("eglBindAPI(EGL_OPENGL_ES_API)", device_);
    for (EGLint version : {3, 2}) {
        const EGLint attribs[] = {EGL_CONTEXT_MAJOR_VERSION, version, EGL_NONE};
        context_ = eglCreateContext(display_, EGL_NO_CONFIG_KHR, EGL_NO_CONTEXT, attribs);
        if (context_ != EGL_NO_CONTEXT)
            break;
    }
    if (context_ == EGL_NO_CONTEXT)
        return fail("eglCreateContext (GLES 3 or 2, no config)", device_);
    return make_current();
}

EglDeviceDisplay::~EglDeviceDisplay() {
    if (display_ == EGL_NO_DISPLAY)
        return;
    eglMakeCurrent(display_, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
    if (context_ != EGL_NO_CONTEXT)
        eglDestroyContext(display_, context_);
    eglTerminate(display_);
    eglReleaseThread();
}

Status EglDeviceDisplay::make_current() const {
    if (!eglMakeCurrent(display_, EGL_NO_SURFACE, EGL_NO_SURFACE, context_))
        return fail("eglMakeCurrent (surfaceless)", device_);
    return {};
}

std::string EglDeviceDisplay::describe() const {
    return "EGL " + version_ + " device " + device_ + " (driver " +
           (driver_.empty() ? std::string("?") : driver_) + ")";
}

} // namespace udmaview
