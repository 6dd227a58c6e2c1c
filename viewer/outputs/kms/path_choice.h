// SPDX-License-Identifier: MIT
// Which scan-out path shows a frame: a pure function of what is known about the card, the
// buffer and the options, so that the policy is one table (tests/unit/kms_path_choice_test).
#pragma once

#include <cstdint>
#include <string>

#include "outputs/kms/kms_options.h"

namespace udmaview::kms {

// The three ways a frame reaches the screen.
enum class ScanoutPath {
    Plane, // the plane scans out the source's dma-buf itself (no copy)
    Gl,    // GLES composes the buffer(s) into GBM scanout buffers
    Cpu,   // pixman composes the buffer(s) into dumb buffers, only the damaged pixels
};

const char* scanout_path_name(ScanoutPath path);

struct PathInputs {
    KmsPath asked = KmsPath::Auto;
    uint32_t sources = 1;
    bool gl_built = true;           // this udmaview has GBM/EGL
    std::string gl_refused;         // why GLES composition could not start ("" : it can)
    std::string gl_software;        // GL_RENDERER when it is a CPU rasterizer ("" : hardware,
                                    // or GL not started yet)
    std::string import_refused;     // why the kernel refused the import ("" : not refused)
    bool placement_refused = false; // the plane cannot place a picture of this size as asked
    bool dmabuf = true;             // the buffer has a dma-buf
    bool plane_format = true;       // the plane scans out the buffer's format
    bool modifier_ok = true;        // linear, or the card takes format modifiers
    // For the one line that says why the plane is not used.
    std::string origin; // where the buffers come from
    std::string driver; // the card's driver
    uint32_t plane_id = 0;
    std::string format_name; // the buffer's format
};

struct PathChoice {
    ScanoutPath path = ScanoutPath::Cpu;
    std::string key;     // the reason's key: each line is said once ("" : nothing to say)
    std::string line;    // what the user is told, on its own line
    std::string refusal; // not "": no path can show these frames; start fails with this
};

PathChoice choose_scanout_path(const PathInputs& in);

// Where the plane cannot show the buffer: GLES under auto while it can start on a hardware
// renderer, else pixman.
ScanoutPath fallback_path(const PathInputs& in);
// "; composing it with GL" or "; composing it with pixman": the end of a fallback line.
std::string fallback_note(const PathInputs& in);
// The line auto prints when GL turned out to be a CPU rasterizer (gl_renderer: its
// GL_RENDERER) or could not start (gl_renderer empty, gl_error why).
std::string auto_cpu_line(const std::string& gl_renderer, const std::string& gl_error);

} // namespace udmaview::kms
