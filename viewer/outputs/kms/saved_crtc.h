// SPDX-License-Identifier: MIT
// A CRTC's configuration as found (mode, framebuffer, position, connectors), put back once
// (on the device it was found on, which must outlive it).
#pragma once

#include <cstdint>
#include <vector>

#include "outputs/kms/drm_objects.h"
#include "outputs/kms/kms_resources.h"
#include "udmaview/error.h"

namespace udmaview::kms {

class SavedCrtc {
public:
    SavedCrtc() = default;
    SavedCrtc(const DrmDevice& dev, const CrtcInfo& crtc, std::vector<uint32_t> connectors)
        : dev_(&dev)
        , crtc_(crtc)
        , connectors_(std::move(connectors))
        , armed_(true) {}
    SavedCrtc(SavedCrtc&& o) noexcept
        : dev_(o.dev_)
        , crtc_(o.crtc_)
        , connectors_(std::move(o.connectors_))
        , armed_(std::exchange(o.armed_, false)) {}
    SavedCrtc& operator=(SavedCrtc&& o) noexcept;
    SavedCrtc(const SavedCrtc&) = delete;
    SavedCrtc& operator=(const SavedCrtc&) = delete;
    // Restores when still armed (the owner must be DRM master then; see disarm()).
    ~SavedCrtc() { (void)restore(); }

    bool armed() const { return armed_; }
    const CrtcInfo& crtc() const { return crtc_; }
    // drmModeSetCrtc back to the saved state (or off); at most once.
    Status restore();
    // Forget it (e.g. we are not master any more: whoever is has the display).
    void disarm() { armed_ = false; }

private:
    const DrmDevice* dev_ = nullptr;
    CrtcInfo crtc_;
    std::vector<uint32_t> connectors_;
    bool armed_ = false;
};

} // namespace udmaview::kms
