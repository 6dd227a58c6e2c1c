// SPDX-License-Identifier: MIT
#include "outputs/kms/dumb_swapchain.h"

#include <cstring>
#include <optional>

#include "udmaview/dma_buf.h"

namespace udmaview::kms {

Result<DumbSwapchain> DumbSwapchain::create(const DrmDevice& dev, uint32_t w, uint32_t h,
                                            const Format* format, const Placement& placement) {
    DumbSwapchain chain;
    chain.format_ = format;
    chain.placement_ = placement;
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
        chain.pending_[i] = Region(placement.dst); // the rest stays black
    }
    return chain;
}

void DumbSwapchain::add_damage(const Region& source_damage) {
    const Region screen = map_damage(source_damage, placement_);
    for (Region& pending : pending_)
        pending.add(screen);
}

uint64_t DumbSwapchain::fill(int index, const Buffer& source, const Mapping& map, Region& copied) {
    const Layout& l = source.layout();
    const DumbBuffer& dst = buffers_[size_t(index)];
    const unsigned sbpp = l.format->bytes_per_pixel, dbpp = format_->bytes_per_pixel;
    const bool same = format_ == l.format;
    std::optional<DmaBufSync> sync;
    if (const DmaBuf* d = source.dmabuf())
        if (auto s = DmaBufSync::begin(*d, DmaBufSync::Read))
            sync.emplace(std::move(*s));
    const int32_t dx = placement_.dst.x - placement_.src.x;
    const int32_t dy = placement_.dst.y - placement_.src.y;
    copied = pending_[size_t(index)].intersected(placement_.dst);
    pending_[size_t(index)] = Region();
    uint64_t bytes = 0;
    for (const Rect& r : copied.rects()) {
        for (int32_t y = r.y; y < r.bottom(); ++y) {
            const int32_t sy = y - dy;
            const uint32_t row = l.y0_top ? uint32_t(sy) : l.height - 1 - uint32_t(sy);
            const uint8_t* s =
                map.data() + l.offset + size_t(row) * l.stride + size_t(r.x - dx) * sbpp;
            uint8_t* d = dst.data() + size_t(y) * dst.pitch() + size_t(r.x) * dbpp;
            if (same) {
                std::memcpy(d, s, size_t(r.w) * sbpp);
            } else {
                for (int32_t x = 0; x < r.w; ++x) {
                    uint8_t rgba[4];
                    l.format->to_rgba8(s + size_t(x) * sbpp, rgba);
                    format_->from_rgba8(rgba, d + size_t(x) * dbpp);
                }
            }
            bytes += uint64_t(r.w) * dbpp;
        }
    }
    return bytes;
}

std::vector<Framebuffer> DumbSwapchain::take_framebuffers() {
    std::vector<Framebuffer> out;
    for (Framebuffer& fb : fbs_)
        if (fb.id())
            out.push_back(std::move(fb));
    return out;
}

} // namespace udmaview::kms
