// SPDX-License-Identifier: MIT
// A CRTC's configuration as found (mode, framebuffer, position, connectors), put back once.
#pragma once

#include <cstdint>
#include <vector>

#include "outputs/kms/kms_resources.h"
#include "udmaview/error.h"

namespace udmaview::kms {

class SavedCrtc {
public:
    SavedCrtc() = default;
    SavedCrtc(int drm_fd, const CrtcInfo& crtc, std::vector<uint32_t> connectors)
        : fd_(drm_fd)
        , crtc_(crtc)
        , connectors_(std::move(connectors))
        , armed_(true) {}
    SavedCrtc(SavedCrtc&& o) noexcept
        : fd_(o.fd_)
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
    int fd_ = -1;
    CrtcInfo crtc_;
    std::vector<uint32_t> connectors_;
    bool armed_ = false;
};

} // namespace udmaview::kms
