// SPDX-License-Identifier: MIT
#include "outputs/kms/scanout.h"

#include <optional>
#include <poll.h>
#include <xf86drm.h>

#include "udmaview/clock.h"

namespace udmaview::kms {

Scanout::Scanout(const DrmDevice& dev, const Pipeline& pipe, const DriverQuirks& quirks)
    : dev_(dev)
    , committer_(Committer::create(dev, pipe, quirks, this)) {}

Status Scanout::modeset(uint32_t fb_id, const Placement& placement) {
    const PlaneState state{.fb_id = fb_id, .placement = placement, .damage = {}, .modeset = true};
    if (Status s = committer_->apply(state, ApplyMode::Sync); !s)
        return s;
    screen_fb_ = fb_id;
    release_retired();
    return {};
}

Status Scanout::flip(uint32_t fb_id, const Placement& placement, const Region& clips, Flip flip) {
    const PlaneState state{
        .fb_id = fb_id, .placement = placement, .damage = clips, .modeset = false};
    if (Status s = committer_->apply(state, ApplyMode::Async); !s)
        return s;
    flip.fb_id = fb_id;
    inflight_.queued(std::move(flip));
    return {};
}

void Scanout::handle_events(const FlipDone& done) {
    // The DRM fd blocks on read, and readiness seen earlier may be stale: the output handles
    // the events of one epoll_wait in turn, and a VT switch among them waits for the flip in
    // flight (wait_idle), consuming the event the DRM fd's entry announced. Reading then would
    // block until the next flip – never, once switched away – with SIGTERM queued behind it.
    pollfd p{dev_.fd(), POLLIN, 0};
    if (::poll(&p, 1, 0) <= 0 || !(p.revents & POLLIN))
        return;
    drmEventContext ctx{};
    ctx.version = 3;
    ctx.page_flip_handler2 = page_flip_handler;
    done_ = &done;
    drmHandleEvent(dev_.fd(), &ctx);
    done_ = nullptr;
}

void Scanout::wait_idle(const FlipDone& done, int timeout_ms) {
    const uint64_t deadline = now_ns() + uint64_t(timeout_ms) * 1'000'000u;
    while (inflight_.busy()) {
        const uint64_t now = now_ns();
        if (now >= deadline)
            break;
        pollfd p{dev_.fd(), POLLIN, 0};
        if (::poll(&p, 1, int((deadline - now) / 1'000'000u) + 1) <= 0)
            continue;
        handle_events(done);
    }
}

void Scanout::page_flip_handler(int, unsigned, unsigned sec, unsigned usec, unsigned, void* data) {
    auto* self = static_cast<Scanout*>(data);
    const std::optional<Flip> flip = self->inflight_.complete();
    if (!flip)
        return;
    self->screen_fb_ = flip->fb_id;
    if (self->done_)
        (*self->done_)(*flip, uint64_t(sec) * 1'000'000'000u + uint64_t(usec) * 1000u);
    self->release_retired();
}

void Scanout::retire(Framebuffer fb) {
    retired_.add(std::move(fb));
    release_retired();
}

void Scanout::retire(std::vector<Framebuffer> fbs) {
    retired_.add(std::move(fbs));
}

void Scanout::release_retired() {
    retired_.release_unused(screen_fb_, inflight_.fb_id());
}

} // namespace udmaview::kms
