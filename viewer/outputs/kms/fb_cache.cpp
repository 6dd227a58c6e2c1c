// SPDX-License-Identifier: MIT
#include "outputs/kms/fb_cache.h"

#include <xf86drm.h>

#include "udmaview/dma_buf.h"

namespace udmaview::kms {

Result<uint32_t> FramebufferCache::get(const DrmDevice& dev, const Buffer& buffer, bool& imported) {
    imported = false;
    if (auto it = fbs_.find(buffer.id()); it != fbs_.end())
        return it->second.id();
    const Layout& l = buffer.layout();
    if (Status s = l.validate(buffer.size()); !s)
        return Error{"kms: buffer from " + buffer.origin() + ": " + s.error().message,
                     s.error().errnum};
    Result<GemHandle> gem = import_dmabuf(dev, buffer.dmabuf()->fd());
    if (!gem)
        return gem.error();
    FramebufferDesc desc{l.width,
                         l.height,
                         l.format->fourcc,
                         l.stride,
                         uint32_t(l.offset),
                         l.modifier,
                         l.modifier != modifier_linear || dev.has_cap(DRM_CAP_ADDFB2_MODIFIERS)};
    Result<Framebuffer> fb = add_framebuffer(dev, gem->id(), desc);
    if (!fb && desc.use_modifier && l.modifier == modifier_linear) {
        // A driver may take modifiers yet refuse an explicit LINEAR on this format; without
        // a modifier the layout is linear all the same.
        desc.use_modifier = false;
        fb = add_framebuffer(dev, gem->id(), desc);
    }
    if (!fb)
        return fb.error();
    const uint32_t id = fb->id();
    fbs_.emplace(buffer.id(), std::move(*fb));
    imported = true;
    return id;
}

Framebuffer FramebufferCache::take(BufferId id) {
    auto it = fbs_.find(id);
    if (it == fbs_.end())
        return {};
    Framebuffer fb = std::move(it->second);
    fbs_.erase(it);
    return fb;
}

void RetiredFramebuffers::add(Framebuffer fb) {
    if (fb)
        fbs_.push_back(std::move(fb));
}

void RetiredFramebuffers::add(std::vector<Framebuffer> fbs) {
    for (Framebuffer& fb : fbs)
        add(std::move(fb));
}

void RetiredFramebuffers::release_unused(uint32_t on_screen, uint32_t queued) {
    std::erase_if(fbs_,
                  [&](const Framebuffer& fb) { return fb.id() != on_screen && fb.id() != queued; });
}

} // namespace udmaview::kms
