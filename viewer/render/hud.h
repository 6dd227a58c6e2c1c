// SPDX-License-Identifier: MIT
// The --hud overlay's contents: the numbers of the frames shown in the last seconds (fps,
// last and p99 produced→presented, bytes copied and imports per frame, the path) and a graph
// of their latency, drawn on the CPU into a small RGBA image. No GL here: HudLayer turns the
// image into a texture, the outputs decide where and when it is drawn.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "render/hud_font.h"
#include "udmaview/output.h"

namespace udmaview {

class Hud {
public:
    static constexpr uint32_t width = 320, height = 96;
    // How far back the numbers and the graph look.
    static constexpr uint64_t window_ns = 5'000'000'000;
    // Text that changes every frame is unreadable: the image is redrawn at most this often.
    static constexpr uint64_t refresh_ns = 250'000'000;

    Hud();

    // One frame is on screen: produced_ns → presented_ns, what showing it cost.
    void record(uint64_t produced_ns, uint64_t presented_ns, uint64_t bytes_copied,
                uint32_t imports, const std::string& path);
    // The frames one present showed, on screen since presented_ns.
    void record(const std::vector<PendingFrame>& frames, uint64_t presented_ns) {
        for (const PendingFrame& f : frames)
            record(f.produced_ns, presented_ns, f.stats.bytes_copied, f.stats.imports,
                   f.stats.path);
    }
    // Redraws the image from the samples when a refresh is due at now_ns and something was
    // recorded since the last one. True when the image changed.
    bool refresh(uint64_t now_ns);
    const HudCanvas& image() const { return canvas_; }
    // The text lines the image shows (exposed for tests).
    std::vector<std::string> lines() const;

private:
    struct Sample {
        uint64_t presented_ns = 0, latency_ns = 0, bytes_copied = 0;
        uint32_t imports = 0;
    };
    void draw_graph(uint64_t now_ns, Rect area);

    HudCanvas canvas_;
    std::deque<Sample> samples_; // oldest first, the last window_ns
    std::string path_;
    uint64_t refreshed_ns_ = 0;
    bool dirty_ = true;
};

} // namespace udmaview
