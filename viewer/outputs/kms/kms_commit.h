// SPDX-License-Identifier: MIT
// The KMS commit layer: one state (what the primary plane shows, with or without a modeset)
// applied in one of three modes, by the atomic API or by the legacy one (SetCrtc, PageFlip,
// DirtyFB). Policy (what to show, fallbacks) stays with the caller.
#pragma once

#include <cstdint>
#include <memory>

#include <xf86drmMode.h>

#include "outputs/kms/drm_objects.h"
#include "outputs/kms/kms_quirks.h"
#include "outputs/kms/kms_resources.h"
#include "udmaview/placement.h"
#include "udmaview/region.h"

namespace udmaview::kms {

enum class ApplyMode {
    TestOnly, // would the kernel take it? nothing changes on screen
    Sync,     // applied when apply() returns (modesets)
    Async,    // non-blocking; a page flip event with the committer's event data follows
};

// What the pipeline's primary plane should show.
struct PlaneState {
    uint32_t fb_id = 0;
    Placement placement;  // src in framebuffer pixels, dst in CRTC pixels
    Region damage;        // FB_DAMAGE_CLIPS in framebuffer pixels; empty: none sent
    bool modeset = false; // also route connector → CRTC with the mode (ALLOW_MODESET)
};

class Committer {
public:
    // The atomic committer where dev.atomic(), else the legacy one. event_data comes back
    // with every page flip event of an Async apply.
    static std::unique_ptr<Committer> create(const DrmDevice& dev, const Pipeline& pipe,
                                             const DriverQuirks& quirks, void* event_data);
    virtual ~Committer() = default;
    Committer(const Committer&) = delete;
    Committer& operator=(const Committer&) = delete;

    // An Error when the pipeline lacks what every commit needs (a required atomic property
    // the kernel did not list): without this check such a commit would leave it out and
    // "succeed" with the plane never set.
    virtual Status ready() const { return {}; }
    // The mode the next modeset sets.
    virtual Status set_mode(const drmModeModeInfo& mode) = 0;
    // TestOnly also refuses what the kernel would take but the driver shows wrongly (quirks).
    Status apply(const PlaneState& state, ApplyMode mode);
    // true: apply() sends PlaneState::damage with the commit; false: damage on the
    // framebuffer on screen goes through dirty().
    virtual bool damage_in_commit() const = 0;
    // drmModeDirtyFB: damage on the framebuffer on screen, for drivers that copy on damage.
    Status dirty(uint32_t fb_id, const Region& clips);

protected:
    Committer(const DrmDevice& dev, const Pipeline& pipe, void* event_data)
        : dev_(dev)
        , connector_id_(pipe.connector.id)
        , crtc_id_(pipe.crtc.id)
        , plane_id_(pipe.plane.id)
        , event_data_(event_data) {}
    virtual Status apply_state(const PlaneState& state, ApplyMode mode) = 0;

    const DrmDevice& dev_;
    const uint32_t connector_id_, crtc_id_, plane_id_;
    void* const event_data_;
    drmModeModeInfo mode_{};

private:
    bool ignores_src_offset_ = false;
    bool dirtyfb_unsupported_ = false;
};

} // namespace udmaview::kms
