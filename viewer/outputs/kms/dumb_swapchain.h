// SPDX-License-Identifier: MIT
// The copy path's two screen-sized dumb buffers: each knows which screen damage it still
// lacks; a frame fills the back buffer with exactly that (copied from the source's mapping,
// converted when the formats differ) and flips to it.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "outputs/kms/drm_objects.h"
#include "udmaview/format.h"
#include "udmaview/frame.h"
#include "udmaview/placement.h"
#include "udmaview/region.h"

namespace udmaview::kms {

class DumbSwapchain {
public:
    DumbSwapchain() = default;
    // Two width x height buffers in format (4 bytes per pixel) with their framebuffers; the
    // source picture will land at placement (source → screen, 1:1).
    static Result<DumbSwapchain> create(const DrmDevice& dev, uint32_t width, uint32_t height,
                                        const Format* format, const Placement& placement);

    bool valid() const { return fbs_[0].id() != 0; }
    const Format* format() const { return format_; }
    uint32_t fb(int index) const { return fbs_[size_t(index)].id(); }
    uint32_t pitch(int index) const { return buffers_[size_t(index)].pitch(); }
    // The buffer to draw next: not the one on screen.
    int back() const { return front_ == 0 ? 1 : 0; }
    void shown(int index) { front_ = index; }

    // Source damage of a new frame: both buffers lack it now.
    void add_damage(const Region& source_damage);
    // Copies everything buffer index lacks from the source (mapped at map); returns the bytes
    // written and, in copied, the screen region they cover.
    uint64_t fill(int index, const Buffer& source, const Mapping& map, Region& copied);
    // The framebuffers, handed over (e.g. to be removed once off screen).
    std::vector<Framebuffer> take_framebuffers();

private:
    std::array<DumbBuffer, 2> buffers_;
    std::array<Framebuffer, 2> fbs_;
    std::array<Region, 2> pending_; // screen pixels each buffer lacks
    const Format* format_ = nullptr;
    Placement placement_;
    int front_ = -1;
};

} // namespace udmaview::kms
