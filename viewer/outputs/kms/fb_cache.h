// SPDX-License-Identifier: MIT
// Framebuffers of the import path: one per source buffer (BufferId), made from its dma-buf
// on first use and kept while the source keeps the buffer; and the framebuffers let go of
// but maybe still on screen or queued, removed once they are neither.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <vector>

#include "outputs/kms/drm_objects.h"
#include "udmaview/frame.h"

namespace udmaview::kms {

class FramebufferCache {
public:
    // The framebuffer of buffer: PRIME import → GEM handle → AddFB2, the first time only
    // (imported tells whether this call did it). The GEM handle is closed right away: the
    // framebuffer holds its own reference.
    Result<uint32_t> get(const DrmDevice& dev, const Buffer& buffer, bool& imported);
    // Hands the buffer's framebuffer over (an empty one when there is none).
    Framebuffer take(BufferId id);
    size_t size() const { return fbs_.size(); }
    void clear() { fbs_.clear(); }

private:
    std::map<BufferId, Framebuffer> fbs_;
};

class RetiredFramebuffers {
public:
    void add(Framebuffer fb);
    void add(std::vector<Framebuffer> fbs);
    // Removes every framebuffer that is neither on screen nor queued (ids, 0: none).
    void release_unused(uint32_t on_screen, uint32_t queued);
    void clear() { fbs_.clear(); }

private:
    std::vector<Framebuffer> fbs_;
};

} // namespace udmaview::kms
