// SPDX-License-Identifier: MIT
// The KMS output's display: the card (DRM master), its driver and quirks, the pipeline
// (connector, CRTC, primary plane), the CRTC as it was before us, the scanout (commits,
// flips), the mode, and the one present rule (present_rule.h) every scan-out path uses.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include <xf86drmMode.h>

#include "outputs/kms/device_node.h"
#include "outputs/kms/drm_objects.h"
#include "outputs/kms/kms_options.h"
#include "outputs/kms/kms_quirks.h"
#include "outputs/kms/kms_resources.h"
#include "outputs/kms/pixman_dumb_path.h"
#include "outputs/kms/present_rule.h"
#include "outputs/kms/saved_crtc.h"
#include "outputs/kms/scanout.h"
#include "udmaview/placement.h"

namespace udmaview::kms {

class KmsDisplay {
public:
    // Opens the card (directly or through opener), takes DRM master and saves the CRTC.
    static Result<std::unique_ptr<KmsDisplay>> open(const KmsOptions& options,
                                                    const std::optional<ModeRequest>& mode,
                                                    const DeviceOpener& opener);
    KmsDisplay(const KmsDisplay&) = delete;
    KmsDisplay& operator=(const KmsDisplay&) = delete;
    ~KmsDisplay();

    DrmDevice& device() { return *dev_; }
    const DrmDevice& device() const { return *dev_; }
    const std::string& driver() const { return driver_; }
    const DriverQuirks& quirks() const { return quirks_; }
    const Pipeline& pipeline() const { return pipe_; }
    Scanout& scanout() { return *scanout_; }
    bool busy() const;
    DumbTarget dumb_target() const { return {*dev_, pipe_.plane, mode_, quirks_}; }

    // The mode for a picture of width × height (0 × 0: the preferred mode; --mode wins):
    // mode_target() in kms_resources.h says which size to ask for.
    Result<drmModeModeInfo> mode_for(uint32_t width, uint32_t height) const;
    // Sets mode for the next commit, which is then a modeset.
    Status set_mode(const drmModeModeInfo& mode);
    const drmModeModeInfo& mode() const { return mode_; }
    Rect screen() const { return {0, 0, int32_t(mode_.hdisplay), int32_t(mode_.vdisplay)}; }
    bool needs_modeset() const { return needs_modeset_; }
    // Whether the plane takes fb_id at placement with a modeset (a test commit).
    bool can_place(uint32_t fb_id, const Placement& placement);

    // Shows what a path made: true when it is on screen already (report it now), false
    // when a flip is in flight (its event reports it).
    Result<bool> present(const Shown& shown);
    // The clips signalled for the last frame (FB_DAMAGE_CLIPS or DirtyFB), in framebuffer
    // pixels; empty for a full update (modeset, flip without clips).
    const Region& last_clips() const { return last_clips_; }
    const Placement& placement() const { return placement_; }

    // Switched away: DRM master goes. Back: master again, and a modeset to show anything.
    void release();
    Status acquire();
    // The CRTC as it was before us; only DRM master may set it (active: we still are).
    void restore(bool active);
    // After restore() and the routes' buffers: the flip in flight, the retired framebuffers
    // and the mode blob go; the device stays open until this object goes.
    void end();

private:
    KmsDisplay() = default;

    std::optional<ModeRequest> mode_request_;
    std::unique_ptr<DrmDevice> dev_; // everything below that refers to it goes first
    std::string driver_;
    DriverQuirks quirks_;
    Pipeline pipe_;
    SavedCrtc saved_crtc_;
    std::unique_ptr<Scanout> scanout_;
    drmModeModeInfo mode_{};
    bool needs_modeset_ = true;
    Placement placement_;
    Region last_clips_;
};

} // namespace udmaview::kms
