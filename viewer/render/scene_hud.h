// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "render/hud.h"
#include "render/scene.h"

namespace udmaview {

// The --hud overlay of a scene-drawn output (the SDL window's views, the KMS cpu path): the
// Hud's numbers of the frames shown, put into the scene while shown; Ctrl+Alt+H toggles it. Its own
// cost is counted apart from the frames'.
class SceneHud {
public:
    // shown: --hud (else made hidden on the first Ctrl+Alt+H).
    SceneHud(Scene& scene, bool shown);
    bool shown() const { return shown_; }
    void toggle();
    void record(uint64_t produced_ns, uint64_t presented_ns, uint64_t bytes_copied,
                uint32_t imports, const std::string& path) {
        hud_.record(produced_ns, presented_ns, bytes_copied, imports, path);
    }
    void record(const std::vector<PendingFrame>& frames, uint64_t presented_ns) {
        hud_.record(frames, presented_ns);
    }
    // Re-rasterises the image when due; its rect becomes scene damage.
    void refresh(uint64_t now_ns);
    // A present drew the scene (with the overlay when shown).
    void presented() { draws_ += shown_ ? 1 : 0; }
    // hud_draw_us (rasterising the image), hud_draws (presents with it shown), hud_updates
    // (images made), hud_toggles.
    std::vector<std::pair<std::string, uint64_t>> counters() const;

private:
    Scene& scene_;
    Hud hud_;
    bool shown_;
    uint64_t busy_ns_ = 0, draws_ = 0, updates_ = 0, toggles_ = 0;
};

} // namespace udmaview
