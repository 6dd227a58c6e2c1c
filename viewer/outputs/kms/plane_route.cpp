// SPDX-License-Identifier: MIT
#include "outputs/kms/plane_route.h"

#include <cstring>

#include "udmaview/clock.h"

namespace udmaview::kms {

namespace {

std::string errno_name(int err) {
    const char* name = strerrordesc_np(err);
    const char* abbrev = strerrorname_np(err);
    return std::string(abbrev ? abbrev : "?") + ": " + (name ? name : "?");
}

} // namespace

void PlaneRoute::refuse_import(const KmsDisplay& display, const Error& e) {
    ctx_.facts.import_refused = e.message;
    ctx_.announcer.say("import", "kms: " + display.driver() + " cannot import dma-bufs (" +
                                     errno_name(e.errnum) + ")" + ctx_.fallback_note());
}

Result<bool> PlaneRoute::update(KmsDisplay& display, const Frame& frame, SubmitStats& stats) {
    const Layout& l = frame.buffer->layout();
    stats.path = "import";
    bool imported = false;
    Result<uint32_t> fb = fbs_.get(display.device(), *frame.buffer, imported);
    if (!fb) {
        refuse_import(display, fb.error());
        return false;
    }
    if (imported) {
        ++stats.imports;
        ++total_imports_;
    }
    stats.imported_ns = now_ns();
    fb_id_ = *fb;
    width_ = l.width;
    height_ = l.height;
    stride_ = l.stride;
    damage_ = frame.damage;
    return true;
}

Result<bool> PlaneRoute::prepare(KmsDisplay& display, const std::vector<PendingFrame>& frames,
                                 Shown& shown) {
    if (display.needs_modeset()) {
        const drmModeModeInfo& m = display.mode();
        const Placement wanted = place(width_, height_, m.hdisplay, m.vdisplay, ctx_.options.scale);
        // Where the plane cannot place the picture as asked, the gl or the cpu path composes
        // it so.
        if (!display.can_place(fb_id_, wanted)) {
            ctx_.facts.no_direct = std::array<uint32_t, 4>{width_, height_, m.hdisplay, m.vdisplay};
            const std::string size = std::to_string(width_) + "x" + std::to_string(height_);
            ctx_.announcer.say("placement-" + size,
                               "kms: plane " + std::to_string(display.pipeline().plane.id) +
                                   " of " + display.driver() + " cannot show a " + size +
                                   " picture on " + mode_string(m) + " as asked" +
                                   ctx_.fallback_note());
            return false;
        }
        placement_ = wanted;
    }
    shown.fb_id = fb_id_;
    shown.placement = placement_;
    shown.picture = placement_;
    shown.clips = display.needs_modeset()
                      ? Region()
                      : damage_clips(damage_, width_, height_, stride_, display.quirks());
    shown.flip = Flip{round_seqs(frames), fb_id_, -1};
    return true;
}

bool PlaneRoute::dropped(const KmsDisplay& display, const Shown&, const Error& error) {
    if (!display.needs_modeset())
        return false; // a flip's failure is the run's error
    refuse_import(display, error);
    return true;
}

void PlaneRoute::retire(KmsDisplay& display, BufferId id) {
    Framebuffer fb = fbs_.take(id);
    if (fb)
        display.scanout().retire(std::move(fb));
}

Status PlaneRoute::toggle_hud() {
    return Error{"kms: Ctrl+Alt+H: the plane path scans out the guest's buffer and shows no "
                 "overlay; use --kms-path cpu or gl for it",
                 ENOTSUP};
}

} // namespace udmaview::kms
