// SPDX-License-Identifier: MIT
// Proves, once, that dma-buf import into GLES works on this card, in a child process: on
// Mesa's llvmpipe (kms_swrast) eglCreateImage of a udmabuf succeeds and the first draw that
// samples it crashes the process. The child imports a small XRGB8888 udmabuf, draws it,
// reads it back and compares with the buffer; a crash, a hang, a refusal or a difference
// there costs the viewer nothing but the zero-copy import.
#pragma once

#include <string>

namespace udmaview::kms {

struct GlImportVerdict {
    bool usable = false;
    std::string reason; // why not, for the one fallback line ("" when usable)
};

// card_path: the DRM card the viewer drives (the child opens it anew, so its GEM objects
// never enter the viewer's file). Blocks up to timeout_ms; the child is killed after that.
// The verdict is kept per card for the process. Call before this process initialises EGL:
// the child must not inherit a live EGL display.
GlImportVerdict probe_gl_import(const std::string& card_path, int timeout_ms);

} // namespace udmaview::kms
