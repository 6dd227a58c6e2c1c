// SPDX-License-Identifier: MIT
// The work of the GL import probe's helper process (udmaview-gl-probe): import a small
// XRGB8888 udmabuf into GLES on a card, draw it, read it back and compare with the buffer. It
// runs in a process of its own because on Mesa's llvmpipe (kms_swrast) eglCreateImage of a
// udmabuf succeeds and the first draw that samples it crashes the process
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

// Opens card_path anew and runs the check; may crash (that is the point of running it alone).
GlImportOutcome check_gl_import(const std::string& card_path);

} // namespace udmaview::kms
