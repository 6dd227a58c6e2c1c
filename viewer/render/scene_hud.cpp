// SPDX-License-Identifier: MIT
#include "render/scene_hud.h"

#include "udmaview/clock.h"

namespace udmaview {

SceneHud::SceneHud(Scene& scene, bool shown)
    : scene_(scene)
    , shown_(shown) {
    if (shown_) {
        refresh(now_ns());
        scene_.set_hud(&hud_.image());
    }
}

void SceneHud::toggle() {
    shown_ = !shown_;
    ++toggles_;
    if (shown_)
        refresh(now_ns());
    scene_.set_hud(shown_ ? &hud_.image() : nullptr);
}

void SceneHud::refresh(uint64_t now) {
    if (!shown_)
        return;
    const uint64_t start = now_ns();
    if (!hud_.refresh(now))
        return;
    ++updates_;
    scene_.hud_changed();
    busy_ns_ += now_ns() - start;
}

std::vector<std::pair<std::string, uint64_t>> SceneHud::counters() const {
    return {{"hud_draw_us", busy_ns_ / 1000},
            {"hud_draws", draws_},
            {"hud_updates", updates_},
            {"hud_toggles", toggles_}};
}

} // namespace udmaview
