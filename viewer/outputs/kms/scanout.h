// SPDX-License-Identifier: MIT
// What the CRTC shows and what is queued for it: modesets and page flips go through the
// committer, page flip events come back here, and framebuffers let go of while on screen or
// queued are kept until they are neither.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include "outputs/kms/fb_cache.h"
#include "outputs/kms/flip_in_flight.h"
#include "outputs/kms/kms_commit.h"

namespace udmaview::kms {

class Scanout {
public:
    // A flip in flight and the frames it shows (flip_in_flight.h).
    using Flip = kms::Flip;
    using FlipDone = std::function<void(const Flip& flip, uint64_t presented_ns)>;

    // Events carry this object's address: it must not move (hold it by unique_ptr).
    Scanout(const DrmDevice& dev, const Pipeline& pipe, const DriverQuirks& quirks);
    Scanout(const Scanout&) = delete;
    Scanout& operator=(const Scanout&) = delete;

    Committer& committer() { return *committer_; }
    // A blocking modeset to fb at placement; fb is on screen when it returns.
    Status modeset(uint32_t fb_id, const Placement& placement);
    // A non-blocking page flip (a new framebuffer, or the same one with damage clips).
    Status flip(uint32_t fb_id, const Placement& placement, const Region& clips, Flip flip);
    bool busy() const { return inflight_.busy(); }
    uint32_t on_screen() const { return screen_fb_; }
    // Someone else drew meanwhile (VT switch): nothing of ours is on screen.
    void forget_screen() { screen_fb_ = 0; }

    // Reads the device's pending events, if any (never blocks); done runs for each completed
    // flip.
    void handle_events(const FlipDone& done);
    // Waits for the flip in flight (if any), at most timeout_ms.
    void wait_idle(const FlipDone& done, int timeout_ms);

    // Removed once off screen and not queued.
    void retire(Framebuffer fb);
    void retire(std::vector<Framebuffer> fbs);

private:
    static void page_flip_handler(int fd, unsigned seq, unsigned sec, unsigned usec,
                                  unsigned crtc_id, void* data);
    void release_retired();

    const DrmDevice& dev_;
    std::unique_ptr<Committer> committer_;
    uint32_t screen_fb_ = 0;
    FlipInFlight inflight_;
    RetiredFramebuffers retired_;
    const FlipDone* done_ = nullptr; // while handle_events() runs
};

} // namespace udmaview::kms
