// SPDX-License-Identifier: MIT
// The work of the GL import probe's helper process (udmaview-gl-probe): import a small
// XRGB8888 udmabuf into GLES, draw it, read it back and compare with the buffer; then change
// the buffer's memfd without a new import and compare again (the texture is the buffer: zero
// copy). It runs in a process of its own because on Mesa's llvmpipe (kms_swrast) eglCreateImage
// of a udmabuf succeeds and the first draw that samples it crashes the process
// (gl_import_probe.h starts it and reads the verdict from its exit status).
#pragma once

#include <string>

namespace udmaview::kms {

// The helper's exit statuses; a signal (the crash above) is the other outcome.
enum GlImportOutcome : int {
    GlImportUsable = 0,
    GlImportNoSetup = 10, // GBM, EGL or the udmabuf could not be made
    GlImportRefused = 11, // import not offered, or eglCreateImage / the texture refused it
    GlImportDiffers = 12, // the imported picture read back is not the buffer's
    GlImportUsage = 64,   // called without exactly one card path
};

// What the check found, for the one JSON line the helper prints (the viewer reads only the
// exit status; a person or a test reads the line).
struct GlImportReport {
    GlImportOutcome outcome = GlImportNoSetup;
    std::string display; // "gbm:/dev/dri/card0", "device:software", …
    std::string driver;  // the EGL driver's name and GL_RENDERER, when EGL came up
    std::string buffer;  // "udmabuf" or "memfd" (no /dev/udmabuf: swrast maps any fd)
    std::string reason;  // why usable, or what failed
    std::string json() const;
};

// target: a card path (GBM on it, the KMS gl path's EGL) or "device" (the EGL device
// platform's software device, headless --render gl's EGL). Opens it anew and runs the check;
// may crash (that is the point of running it alone).
GlImportReport check_gl_import(const std::string& target);

} // namespace udmaview::kms
