// SPDX-License-Identifier: MIT
// The cpu route: pixman draws the scene (pixman_dumb_path.h) – one picture or tiles, the
// --hud overlay and the guest pointer – into dumb buffers, and the display flips between
// them. Each frame is drawn into the back buffer by update(), so its cost is counted with it;
// with several sources one prepare() then shows the presenter's whole round.
#pragma once

#include <memory>

#include "outputs/kms/pixman_dumb_path.h"
#include "outputs/kms/scanout_route.h"
#include "render/scene_hud.h"

namespace udmaview::kms {

class CpuRoute : public ScanoutRoute {
public:
    CpuRoute(RouteContext ctx, bool hud);
    ScanoutPath path() const override { return ScanoutPath::Cpu; }
    void reset(KmsDisplay& display, bool) override { cpu_.reset(display.scanout()); }
    Result<bool> update(KmsDisplay& display, const Frame& frame, SubmitStats& stats) override;
    Result<bool> prepare(KmsDisplay& display, const std::vector<PendingFrame>& frames,
                         Shown& shown) override;
    void shown(const Flip& flip, uint64_t presented_ns) override;
    void retire(KmsDisplay&, BufferId id) override { cpu_.forget(id); }
    void clear() override;
    void set_cursor(const CursorState& cursor) override;
    Status toggle_hud() override;
    bool hud_visible() const override { return hud_visible_; }
    std::optional<TileState> tiles() const override;
    bool tile_key(KeyAction action, bool verbose) override;
    void source_ended(uint32_t source) override { cpu_.scene().set_ended(source); }
    std::vector<std::pair<std::string, uint64_t>> counters() const override;

private:
    // Hands a changed guest pointer and the --hud overlay to the scene.
    void take_overlays();

    RouteContext ctx_;
    PixmanDumbPath cpu_;
    std::unique_ptr<SceneHud> hud_; // once shown
    bool hud_visible_ = false;
    std::optional<CursorState> cursor_;    // not yet in the scene
    bool drawn_ = false;                   // since the last prepare()
    std::vector<PendingFrame> hud_frames_; // on the flip in flight, for the overlay
};

} // namespace udmaview::kms
