// SPDX-License-Identifier: MIT
// Proves, once and in the background, that dma-buf import into GLES works on this card, in a child
// process: on Mesa's llvmpipe (kms_swrast) eglCreateImage of a udmabuf succeeds and the first draw
// that samples it crashes the process. The child imports a small XRGB8888 udmabuf, draws it, reads
// it back and compares with the buffer; a crash, a hang, a refusal or a difference there costs the
// viewer nothing but the zero-copy import.
#pragma once

#include <optional>
#include <string>

namespace udmaview::kms {

struct GlImportVerdict {
    bool usable = false;
    std::string reason; // why not, for the one fallback line ("" when usable)
};

// Starts the probe of card_path in a child process, unless this process has one already
// (running or done): the driver does not change while it runs. The child opens the card anew,
// so its GEM objects never enter the viewer's file; it is killed after timeout_ms, or when
// the process exits. Call before this process initialises EGL the first time: the child must
// not inherit a live EGL display. Never blocks.
void start_gl_import_probe(const std::string& card_path, int timeout_ms);
// The probe's verdict once the child is done (or was killed); nullopt while it runs or when
// none was started. Never blocks.
std::optional<GlImportVerdict> gl_import_verdict(const std::string& card_path);

} // namespace udmaview::kms
