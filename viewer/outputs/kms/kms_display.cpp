// SPDX-License-Identifier: MIT
#include "outputs/kms/kms_display.h"

#include <iostream>

#include "outputs/kms/card_probe.h"

namespace udmaview::kms {

Result<std::unique_ptr<KmsDisplay>> KmsDisplay::open(const KmsOptions& options,
                                                     const std::optional<ModeRequest>& mode,
                                                     const DeviceOpener& opener) {
    Result<OpenedCard> card =
        open_card(options.device, options.connector, options.atomic, mode, opener);
    if (!card)
        return card.error();
    if (Status s = card->dev->acquire_master(); !s)
        return s.error();
    std::unique_ptr<KmsDisplay> d(new KmsDisplay());
    d->mode_request_ = mode;
    d->dev_ = std::move(card->dev);
    d->pipe_ = card->pipe;
    d->saved_crtc_ = SavedCrtc(*d->dev_, d->pipe_.crtc, std::move(card->lit_connectors));
    d->driver_ = d->dev_->driver();
    d->quirks_ = quirks_for(d->driver_, running_kernel());
    d->scanout_ = std::make_unique<Scanout>(*d->dev_, d->pipe_, d->quirks_);
    if (Status s = d->scanout_->committer().ready(); !s)
        return s.error();
    if (options.verbose)
        std::cerr << "kms: " << d->dev_->describe() << ", connector " << d->pipe_.connector.name
                  << ", crtc " << d->pipe_.crtc.id << ", plane " << d->pipe_.plane.id << ", "
                  << (d->dev_->atomic() ? "atomic" : "legacy") << ", damage "
                  << (d->pipe_.plane.has_damage_clips ? "FB_DAMAGE_CLIPS" : "DirtyFB")
                  << (d->quirks_.why.empty() ? "" : "; quirk: " + std::string(d->quirks_.why))
                  << "\n";
    return d;
}

// The owner restores the CRTC first (restore()); what refers to the device goes before it.
KmsDisplay::~KmsDisplay() {
    end();
}

void KmsDisplay::end() {
    scanout_.reset(); // the flip in flight, retired framebuffers, the mode blob
    saved_crtc_ = SavedCrtc();
}

Result<drmModeModeInfo> KmsDisplay::mode_for(uint32_t width, uint32_t height) const {
    return choose_mode(pipe_.connector, mode_request_, width, height);
}

Status KmsDisplay::set_mode(const drmModeModeInfo& mode) {
    if (Status s = scanout_->committer().set_mode(mode); !s)
        return s;
    mode_ = mode;
    needs_modeset_ = true;
    return {};
}

bool KmsDisplay::can_place(uint32_t fb_id, const Placement& placement) {
    // The legacy API cannot scale.
    if (!dev_->atomic() && placement.scaled())
        return false;
    const PlaneState state{.fb_id = fb_id, .placement = placement, .damage = {}, .modeset = true};
    return bool(scanout_->committer().apply(state, ApplyMode::TestOnly));
}

Result<bool> KmsDisplay::present(const Shown& s) {
    const PresentStep step =
        present_step({.needs_modeset = needs_modeset_,
                      .fb_id = s.fb_id,
                      .on_screen = scanout_->on_screen(),
                      .has_clips = !s.clips.empty(),
                      .damage_in_commit = scanout_->committer().damage_in_commit()});
    switch (step) {
    case PresentStep::Modeset:
        if (Status st = scanout_->modeset(s.fb_id, s.placement); !st)
            return st.error();
        needs_modeset_ = false;
        last_clips_ = Region();
        placement_ = s.picture;
        return true;
    case PresentStep::Nothing:
        last_clips_ = Region();
        return true;
    case PresentStep::Flip: {
        const bool same = s.fb_id == scanout_->on_screen();
        if (Status st = scanout_->flip(s.fb_id, s.placement, s.clips, s.flip); !st)
            return st.error();
        // A new framebuffer carries clips only where the plane takes them in the commit.
        last_clips_ = same || pipe_.plane.has_damage_clips ? s.clips : Region();
        placement_ = s.picture;
        return false;
    }
    case PresentStep::Dirty:
        if (Status st = scanout_->committer().dirty(s.fb_id, s.clips); !st)
            return st.error();
        last_clips_ = s.clips;
        return true; // DirtyFB returns when the update is done
    }
    return true;
}

void KmsDisplay::release() {
    dev_->drop_master();
}

bool KmsDisplay::busy() const {
    return scanout_ && scanout_->busy();
}

Status KmsDisplay::acquire() {
    if (Status s = dev_->acquire_master(); !s)
        return s;
    needs_modeset_ = true;
    scanout_->forget_screen();
    return {};
}

void KmsDisplay::restore(bool active) {
    if (!active || !dev_->is_master())
        saved_crtc_.disarm();
    if (Status s = saved_crtc_.restore(); !s)
        std::cerr << s.error().message << "\n";
}

} // namespace udmaview::kms
