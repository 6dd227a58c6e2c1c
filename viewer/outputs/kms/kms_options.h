// SPDX-License-Identifier: MIT
// What the KMS output is asked to do (from the command line, and from test hooks the caller
// reads: the kms module reads no environment).
#pragma once

#include <string>

#include "udmaview/scale_mode.h"

namespace udmaview::kms {

// How frames reach the screen (--kms-path).
enum class KmsPath {
    Auto,  // the plane scans out the dma-buf where it can place it as asked, else GL, else cpu
    Plane, // the plane where it can, else the CPU copy (no GL)
    Gl,    // always composed by GLES into GBM scanout buffers (an error where that cannot start)
    Copy,  // always the CPU copy into dumb buffers (--kms-path cpu, or its alias copy)
};

struct KmsOptions {
    std::string device;    // "" : first card with a connected connector
    std::string connector; // "" : first connected
    std::string mode;      // "" : see mode_target() in kms_resources.h
    ScaleMode scale = ScaleMode::Fit;
    KmsPath path = KmsPath::Auto; // as the CLI's default
    bool linear = true;           // gl path: --filter linear (else nearest)
    bool verbose = false;
    bool hud = false;       // the --hud overlay (gl path only; Ctrl+Alt+H toggles it)
    bool atomic = true;     // false: legacy SetCrtc/PageFlip even where atomic exists
    bool console = true;    // take the VT (KD_GRAPHICS, VT_PROCESS)
    bool keyboard = true;   // read evdev keyboards
    bool take_over = false; // reset a VT a dead program left in graphics mode, and use it
    uint32_t sources = 1;   // more than one: tiles composed by GLES (Frame::source)
    // The one source asks its guest to take the mode's size (--guest-size follow, a QEMU
    // source): the connector's preferred mode, not one of the picture's size, until the
    // source says the guest kept its own (Output::size_refused).
    bool follow_guest_size = false;
};

} // namespace udmaview::kms
