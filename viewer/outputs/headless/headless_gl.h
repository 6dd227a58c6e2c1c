// SPDX-License-Identifier: MIT
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "render/egl_device_display.h"
#include "render/gles_renderer.h"
#include "render/offscreen_target.h"
#include "udmaview/output.h"
#include "udmaview/png.h"

namespace udmaview {

struct HeadlessGlOptions {
    uint32_t width = 0, height = 0; // the picture drawn; 0 × 0: the first buffer's size
    ScaleMode scale = ScaleMode::Fit;
    bool linear = true;
    bool allow_import = true;
    bool verbose = false;
};

// The headless output's --render gl: every frame is drawn by the GLES renderer into an
// offscreen framebuffer on the EGL device platform, as a window would show it (scaled,
// filtered, letterboxed). On Mesa's software device the buffer is imported and sampled where
// it is (the dma-buf, or the memfd itself without /dev/udmabuf): path "gl-import", 0 bytes
// copied, one import per buffer. Elsewhere the renderer uploads damage ("gl-upload").
class HeadlessGlView {
public:
    static Result<std::unique_ptr<HeadlessGlView>> create(HeadlessGlOptions options);
    ~HeadlessGlView();

    Status submit(const Frame& frame, SubmitStats& stats);
    void retire(BufferId id);
    // The last picture drawn, top row first.
    Result<RgbaImage> read();
    std::vector<std::pair<std::string, uint64_t>> counters() const;
    std::string describe() const;

private:
    explicit HeadlessGlView(HeadlessGlOptions options)
        : options_(options) {}

    HeadlessGlOptions options_;
    std::unique_ptr<EglDeviceDisplay> egl_;
    std::unique_ptr<GlesRenderer> renderer_;
    std::unique_ptr<OffscreenTarget> target_; // made for the first frame's size
    uint64_t imported_frames_ = 0, uploaded_frames_ = 0, imported_dmabuf_frames_ = 0;
};

} // namespace udmaview
