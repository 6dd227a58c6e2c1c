// SPDX-License-Identifier: MIT
// How a framebuffer reaches the screen, the same for every scan-out path: a modeset when the
// CRTC needs one, else a page flip to a new framebuffer, else the changed pixels of the one on
// screen (FB_DAMAGE_CLIPS in a commit, or DirtyFB), else nothing. A pure function, so that the
// rule is one table (tests/unit/kms_present_rule_test).
#pragma once

#include <cstdint>

#include "outputs/kms/flip_in_flight.h"
#include "udmaview/placement.h"
#include "udmaview/region.h"

namespace udmaview::kms {

// What a scan-out path made for one frame, to be shown by the present rule.
struct Shown {
    uint32_t fb_id = 0;  // 0: nothing on screen changed
    Placement placement; // where fb_id goes on the CRTC
    Region clips;        // the changed pixels of fb_id (empty: unknown or none)
    Placement picture;   // where source 0's picture lands on the screen
    Flip flip;           // the frames it carries
};

enum class PresentStep {
    Modeset, // blocking; the framebuffer is on screen when it returns
    Flip,    // non-blocking; the flip event says when it is on screen
    Dirty,   // DirtyFB on the framebuffer on screen; done when it returns
    Nothing, // nothing on screen changes; done at once
};

struct PresentInputs {
    bool needs_modeset = false;    // first frame, new mode, back from a switch
    uint32_t fb_id = 0;            // what the path made (0: nothing changed)
    uint32_t on_screen = 0;        // what the CRTC shows
    bool has_clips = false;        // changed pixels of fb_id are known
    bool damage_in_commit = false; // the plane takes FB_DAMAGE_CLIPS in an atomic commit
};

inline PresentStep present_step(const PresentInputs& in) {
    if (in.fb_id == 0)
        return PresentStep::Nothing;
    if (in.needs_modeset)
        return PresentStep::Modeset;
    if (in.fb_id != in.on_screen)
        return PresentStep::Flip;
    if (!in.has_clips)
        return PresentStep::Nothing;
    return in.damage_in_commit ? PresentStep::Flip : PresentStep::Dirty;
}

} // namespace udmaview::kms
