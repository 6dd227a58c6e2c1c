// SPDX-License-Identifier: MIT
#include "outputs/kms/saved_crtc.h"

#include <cerrno>

namespace udmaview::kms {

SavedCrtc& SavedCrtc::operator=(SavedCrtc&& o) noexcept {
    if (this != &o) {
        (void)restore();
        dev_ = o.dev_;
        crtc_ = o.crtc_;
        connectors_ = std::move(o.connectors_);
        armed_ = std::exchange(o.armed_, false);
    }
    return *this;
}

Status SavedCrtc::restore() {
    if (!armed_)
        return {};
    armed_ = false;
    int rc;
    if (crtc_.mode_valid && crtc_.fb_id) {
        drmModeModeInfo mode = crtc_.mode;
        rc = drmModeSetCrtc(dev_->fd(), crtc_.id, crtc_.fb_id, uint32_t(crtc_.x), uint32_t(crtc_.y),
                            connectors_.data(), int(connectors_.size()), &mode);
    } else {
        rc = drmModeSetCrtc(dev_->fd(), crtc_.id, 0, 0, 0, nullptr, 0, nullptr);
    }
    if (rc != 0)
        return Error::from_errno(errno, "kms: restoring crtc " + std::to_string(crtc_.id),
                                 "the console may stay dark: switch VTs to redraw it");
    return {};
}

} // namespace udmaview::kms
