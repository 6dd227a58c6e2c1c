// SPDX-License-Identifier: MIT
// The plane route: the primary plane scans out the source's dma-buf itself. Per BufferId the
// dma-buf is imported once (PRIME → GEM handle → framebuffer) and cached; the placement
// --scale asks for is proven by a test commit at each modeset. Refused where the driver
// refuses the import, or the plane the placement.
#pragma once

#include "outputs/kms/fb_cache.h"
#include "outputs/kms/scanout_route.h"

namespace udmaview::kms {

class PlaneRoute : public ScanoutRoute {
public:
    explicit PlaneRoute(RouteContext ctx)
        : ctx_(std::move(ctx)) {}
    ScanoutPath path() const override { return ScanoutPath::Plane; }
    void reset(KmsDisplay&, bool) override {}
    Result<bool> update(KmsDisplay& display, const Frame& frame, SubmitStats& stats) override;
    Result<bool> prepare(KmsDisplay& display, const std::vector<PendingFrame>& frames,
                         Shown& shown) override;
    // The modeset to an imported framebuffer failed: the import counts as refused.
    bool dropped(const KmsDisplay& display, const Shown& shown, const Error& error) override;
    void shown(const Flip&, uint64_t) override {}
    void retire(KmsDisplay& display, BufferId id) override;
    void clear() override { fbs_.clear(); }
    Status toggle_hud() override;

    uint64_t total_imports() const { return total_imports_; }
    size_t cached_framebuffers() const { return fbs_.size(); }

private:
    void refuse_import(const KmsDisplay& display, const Error& e);

    RouteContext ctx_;
    FramebufferCache fbs_;
    uint32_t fb_id_ = 0; // the frame update() took
    uint32_t width_ = 0, height_ = 0, stride_ = 0;
    Region damage_;       // its damage
    Placement placement_; // proven at the last modeset
    uint64_t total_imports_ = 0;
};

} // namespace udmaview::kms
