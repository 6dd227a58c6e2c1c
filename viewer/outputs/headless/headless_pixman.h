// SPDX-License-Identifier: MIT
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "render/pixman_renderer.h"
#include "render/scene.h"
#include "udmaview/output.h"
#include "udmaview/png.h"

namespace udmaview {

struct HeadlessPixmanOptions {
    uint32_t width = 0, height = 0; // the picture drawn; 0 × 0: the first buffer's size
    ScaleMode scale = ScaleMode::Fit;
    bool linear = true;
};

// The headless output's --render pixman: every frame's damage is drawn by the CPU renderer
// into an XRGB8888 picture in memory, as the SDL software view draws its window surface
// (scaled, filtered, letterboxed, with the guest pointer).
// The picture is made at the first frame's size (or width × height) and kept.
class HeadlessPixmanView {
public:
    explicit HeadlessPixmanView(HeadlessPixmanOptions options)
        : options_(options) {}

    Status submit(const Frame& frame, SubmitStats& stats);
    void retire(BufferId id);
    void set_pointer(const CursorState& pointer);
    // The last picture drawn, top row first.
    Result<RgbaImage> read() const;
    std::vector<std::pair<std::string, uint64_t>> counters() const;

private:
    Status make_target(const Frame& frame);

    HeadlessPixmanOptions options_;
    std::vector<uint32_t> pixels_; // XRGB8888, width × height
    uint32_t width_ = 0, height_ = 0;
    std::optional<Scene> scene_; // made with the picture, at the first frame
    CursorState pointer_;
    std::unique_ptr<PixmanRenderer> renderer_;
    uint64_t drawn_pixels_ = 0;
};

} // namespace udmaview
