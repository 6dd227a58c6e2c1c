// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "render/scene.h"
#include "udmaview/error.h"
#include "udmaview/frame.h"
#include "udmaview/output.h"
#include "udmaview/png.h"

namespace udmaview {

// How the SDL window's contents are made: the scene (render/scene.h) drawn by one of the two
// renderers. GlView: GLES on EGL into the window's swap chain; SoftwareView: pixman into SDL's
// window surface, only the damaged rectangles put on screen. SdlOutput owns the window, its
// events and the scene; a view only draws and presents.
class SdlView {
public:
    virtual ~SdlView() = default;
    // "gl" or "software" (--sdl-path).
    virtual const char* name() const = 0;
    // The pixels the scene is drawn into (drawable or surface size; at least 1 × 1).
    virtual void drawable_size(uint32_t& w, uint32_t& h) const = 0;
    // Makes frame's buffer drawable (cached per BufferId); fills stats (path, copies, imports).
    virtual Status update(const Frame& frame, SubmitStats& stats) = 0;
    virtual void retire(BufferId id) = 0;
    // Sizes the scene to the window, draws what its damage needs and puts it on screen; the
    // scene's damage is cleared.
    virtual Status present(Scene& scene) = 0;
    // What the window shows now, as RGBA (--dump-png).
    virtual Result<RgbaImage> read_pixels(Scene& scene) = 0;
    // How frames reach the screen, for the title: "dma-buf import", "upload", "software".
    virtual std::string frame_path() const = 0;
    // The view's counters for the timing report (output_counters), in a fixed order.
    virtual std::vector<std::pair<std::string, uint64_t>> counters() const = 0;
};

} // namespace udmaview
