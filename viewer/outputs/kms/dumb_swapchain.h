// SPDX-License-Identifier: MIT
// The cpu path's two screen-sized dumb buffers with their framebuffers: each knows which
// screen pixels it still lacks, so a frame redraws only those into the back buffer and flips
// to it.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "outputs/kms/drm_objects.h"
#include "render/renderer.h"
#include "udmaview/format.h"
#include "udmaview/region.h"

namespace udmaview::kms {

class DumbSwapchain {
public:
    DumbSwapchain() = default;
    // Two width x height buffers in format (4 bytes per pixel) with their framebuffers; both
    // lack the whole screen.
    static Result<DumbSwapchain> create(const DrmDevice& dev, uint32_t width, uint32_t height,
                                        const Format* format);

    bool valid() const { return fbs_[0].id() != 0; }
    const Format* format() const { return format_; }
    uint32_t fb(int index) const { return fbs_[size_t(index)].id(); }
    uint32_t pitch(int index) const { return buffers_[size_t(index)].pitch(); }
    // Buffer index's pixels for a CPU renderer.
    RenderTarget target(int index) const;
    // The buffer to draw next: not the one on screen.
    int back() const { return front_ == 0 ? 1 : 0; }
    void shown(int index) { front_ = index; }

    // Screen pixels that changed: every buffer lacks them now.
    void add_damage(const Region& screen_damage);
    // What buffer index lacks, handed over: the caller draws exactly that into it.
    Region take_pending(int index);
    // The framebuffers, handed over (e.g. to be removed once off screen).
    std::vector<Framebuffer> take_framebuffers();

private:
    std::array<DumbBuffer, 2> buffers_;
    std::array<Framebuffer, 2> fbs_;
    std::array<Region, 2> pending_; // screen pixels each buffer lacks
    const Format* format_ = nullptr;
    uint32_t width_ = 0, height_ = 0;
    int front_ = -1;
};

} // namespace udmaview::kms
