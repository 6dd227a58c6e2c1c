// SPDX-License-Identifier: MIT
// The page flip in flight and the frames it carries. With several sources one flip shows a
// frame of each (the presenter's round): when its event comes, every one of them is on
// screen at the event's time, and each is reported presented exactly once. A redraw's flip
// carries none (its frames were reported already).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "udmaview/output.h"

namespace udmaview::kms {

struct Flip {
    std::vector<uint64_t> seqs; // the frames to report presented; empty for a redraw
    uint32_t fb_id = 0;
    int dumb_index = -1; // the cpu path's buffer; -1: an imported or composed framebuffer

    // Tells sink that every frame this flip carried is on screen since presented_ns.
    void report(uint64_t presented_ns, OutputSink& sink) const;
};

// At most one flip is queued on a CRTC at a time.
class FlipInFlight {
public:
    void queued(Flip flip) { flip_ = std::move(flip); }
    bool busy() const { return flip_.has_value(); }
    // The framebuffer the flip in flight goes to (0: none in flight).
    uint32_t fb_id() const { return flip_ ? flip_->fb_id : 0; }
    // The flip event: the flip it completes, once; nullopt when none is in flight (an event
    // that is not ours, or a second one).
    std::optional<Flip> complete();

private:
    std::optional<Flip> flip_;
};

} // namespace udmaview::kms
