// SPDX-License-Identifier: MIT
// Proves, once and in the background, that dma-buf import into GLES works on this card: on
// Mesa's llvmpipe (kms_swrast) eglCreateImage of a udmabuf succeeds and the first draw that
// samples it crashes the process. So the helper udmaview-gl-probe (gl_import_check.h) does it
// in a process of its own; a crash, a hang, a refusal or a difference there costs the viewer
// nothing but the zero-copy import.
#pragma once

#include <optional>
#include <string>

namespace udmaview::kms {

struct GlImportVerdict {
    bool usable = false;
    std::string reason; // why not, for the one fallback line ("" when usable)
    int signal = 0;     // the signal that ended the probe process (its crash), 0 for none
};

// Starts the helper for card_path (posix_spawn: a fresh process, never a fork of this
// threaded one), unless this process has one already (running or done): the driver does not
// change while it runs. The helper opens the card anew and inherits none of this process' fds,
// so its GEM objects never enter the viewer's file; it is killed after timeout_ms, or when this
// process exits. Never blocks.
void start_gl_import_probe(const std::string& card_path, int timeout_ms);
// The probe's verdict once the child is done (or was killed); nullopt while it runs or when
// none was started. Never blocks.
std::optional<GlImportVerdict> gl_import_verdict(const std::string& card_path);

} // namespace udmaview::kms
