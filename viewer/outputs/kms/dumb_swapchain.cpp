// SPDX-License-Identifier: MIT
#include "outputs/kms/dumb_swapchain.h"

namespace udmaview::kms {

Result<DumbSwapchain> DumbSwapchain::create(const DrmDevice& dev, uint32_t w, uint32_t h,
                                            const Format* format) {
    DumbSwapchain chain;
    chain.format_ = format;
    chain.width_ = w;
    chain.height_ = h;
    for (size_t i = 0; i < 2; ++i) {
        Result<DumbBuffer> b = DumbBuffer::create(dev, w, h, format->bpp());
        if (!b)
            return b.error();
        Result<Framebuffer> fb = add_framebuffer(
            dev, b->handle(), {w, h, format->fourcc, b->pitch(), 0, modifier_linear, false});
        if (!fb)
            return Error{"kms: a framebuffer over a dumb buffer on " + dev.describe() + ": " +
                             fb.error().message,
                         fb.error().errnum};
        chain.buffers_[i] = std::move(*b);
        chain.fbs_[i] = std::move(*fb);
        chain.pending_[i] = Region(Rect{0, 0, int32_t(w), int32_t(h)});
    }
    return chain;
}

RenderTarget DumbSwapchain::target(int index) const {
    const DumbBuffer& b = buffers_[size_t(index)];
    return RenderTarget{.pixels = b.data(),
                        .stride = b.pitch(),
                        .width = width_,
                        .height = height_,
                        .fourcc = format_->fourcc};
}

void DumbSwapchain::add_damage(const Region& screen_damage) {
    for (Region& pending : pending_)
        pending.add(screen_damage);
}

Region DumbSwapchain::take_pending(int index) {
    Region out = std::move(pending_[size_t(index)]);
    pending_[size_t(index)] = Region();
    return out;
}

std::vector<Framebuffer> DumbSwapchain::take_framebuffers() {
    std::vector<Framebuffer> out;
    for (Framebuffer& fb : fbs_)
        if (fb.id())
            out.push_back(std::move(fb));
    return out;
}

} // namespace udmaview::kms
