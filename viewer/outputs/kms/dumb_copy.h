// SPDX-License-Identifier: MIT
// The copy path: for buffers the plane cannot scan out (no dma-buf, a format the plane lacks,
// a placement it refuses, an import the driver refuses), the source's pixels are copied into
// two screen-sized dumb buffers, only what changed, and the output flips between them.
#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include <xf86drmMode.h>

#include "outputs/kms/dumb_swapchain.h"
#include "outputs/kms/kms_quirks.h"
#include "outputs/kms/kms_resources.h"
#include "outputs/kms/scanout.h"
#include "udmaview/output.h"

namespace udmaview::kms {

// Where the copy goes: the device, its primary plane, the mode and the driver's quirks.
struct CopyTarget {
    const DrmDevice& dev;
    const PlaneInfo& plane;
    const drmModeModeInfo& mode;
    const DriverQuirks& quirks;
};

class DumbCopyPath {
public:
    // First frame after a (re)configuration: new buffers in the source's format (where the
    // plane has it with 4 bytes per pixel, else XRGB8888), the picture copied whole, 1:1 and
    // centred, and a modeset to it. The old buffers are retired to scanout.
    Status modeset(const CopyTarget& target, const Buffer& buffer, Scanout& scanout,
                   SubmitStats& stats);
    // A later frame: what the back buffer lacks (this frame's damage and the previous one's)
    // copied into it, and a flip to it; clips: the screen damage signalled with the flip.
    Status flip(const CopyTarget& target, const Frame& frame, std::vector<uint64_t> seqs,
                Scanout& scanout, SubmitStats& stats, Region& clips);

    // Where the picture lands on the screen (source → screen, 1:1).
    const Placement& placement() const { return placement_; }
    // The flip to buffer index is done.
    void shown(int index) { chain_.shown(index); }
    // The source let go of the buffer: drop its mapping.
    void forget(BufferId id) { maps_.erase(id); }
    void clear();

private:
    // The buffers cover the whole mode: the plane shows them unscaled from 0,0.
    static Placement full_screen(const CopyTarget& target);
    // The source's CPU mapping, made once per BufferId (counted in stats.imports).
    Result<const Mapping*> mapping_for(const Buffer& buffer, SubmitStats& stats);

    DumbSwapchain chain_;
    std::map<BufferId, Mapping> maps_;
    Placement placement_;
};

} // namespace udmaview::kms
