// SPDX-License-Identifier: MIT
#include "outputs/kms/cpu_route.h"

#include <iostream>

#include "udmaview/clock.h"

namespace udmaview::kms {

CpuRoute::CpuRoute(RouteContext ctx, bool hud)
    : ctx_(std::move(ctx))
    , cpu_({ctx_.options.scale, ctx_.options.linear, ctx_.options.sources})
    , hud_visible_(hud) {}

void CpuRoute::take_overlays() {
    if (cursor_) {
        cpu_.scene().set_pointer(*cursor_);
        cursor_.reset();
    }
    if (hud_visible_ && !hud_)
        hud_ = std::make_unique<SceneHud>(cpu_.scene(), true);
}

void CpuRoute::set_cursor(const CursorState& cursor) {
    cursor_ = cursor;
}

Result<bool> CpuRoute::update(KmsDisplay& display, const Frame& frame, SubmitStats& stats) {
    stats.path = "dumb-copy";
    if (Status s = cpu_.update(display.dumb_target(), frame, stats); !s)
        return s.error();
    take_overlays();
    if (Status s = cpu_.draw(display.needs_modeset(), stats); !s)
        return s.error();
    stats.submitted_ns = now_ns();
    return true;
}

Result<bool> CpuRoute::prepare(KmsDisplay& display, const std::vector<PendingFrame>& frames,
                               Shown& shown) {
    Result<Shown> s = cpu_.prepare(display.dumb_target(), display.needs_modeset());
    if (!s)
        return s.error();
    shown = std::move(*s);
    shown.flip.seqs = round_seqs(frames);
    hud_frames_ = frames;
    return true;
}

void CpuRoute::shown(const Flip& flip, uint64_t presented_ns) {
    if (flip.dumb_index >= 0)
        cpu_.shown(flip.dumb_index);
    if (!hud_) {
        hud_frames_.clear();
        return;
    }
    hud_->record(hud_frames_, presented_ns);
    hud_frames_.clear();
    hud_->presented();
    // After the flip is reported: the overlay's new image goes out with the next frame.
    hud_->refresh(now_ns());
}

Status CpuRoute::toggle_hud() {
    if (!hud_)
        hud_ = std::make_unique<SceneHud>(cpu_.scene(), true);
    else
        hud_->toggle();
    hud_visible_ = hud_->shown();
    return {};
}

void CpuRoute::clear() {
    cpu_.clear(); // the scene forgets the overlay's image before the overlay goes
    hud_.reset();
    hud_frames_.clear();
}

std::optional<TileState> CpuRoute::tiles() const {
    return TileState{cpu_.scene().mode(), cpu_.scene().focus()};
}

bool CpuRoute::tile_key(KeyAction action, bool verbose) {
    Scene& scene = cpu_.scene();
    if (action == KeyAction::ToggleTiles)
        scene.toggle_mode();
    else
        scene.move_focus(action == KeyAction::FocusPrev ? -1 : 1);
    if (verbose)
        std::cerr << "kms: source " << scene.focus() + 1 << " focused, "
                  << (scene.mode() == TileMode::Grid ? "grid" : "alone") << "\n";
    return true;
}

std::vector<std::pair<std::string, uint64_t>> CpuRoute::counters() const {
    std::vector<std::pair<std::string, uint64_t>> all = cpu_.counters();
    if (hud_)
        for (auto& c : hud_->counters())
            all.push_back(std::move(c));
    return all;
}

} // namespace udmaview::kms
