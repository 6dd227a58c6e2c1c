// SPDX-License-Identifier: MIT
#include "outputs/kms/dumb_copy.h"

#include <sys/mman.h>

#include "udmaview/clock.h"

namespace udmaview::kms {

namespace {

constexpr uint32_t xrgb8888 = make_fourcc('X', 'R', '2', '4');

} // namespace

Status DumbCopyPath::modeset(const CopyTarget& t, const Buffer& buffer, Scanout& scanout,
                             SubmitStats& stats) {
    Result<const Mapping*> map = mapping_for(buffer, stats);
    if (!map)
        return map.error();
    stats.imported_ns = now_ns();
    const Layout& l = buffer.layout();
    placement_ = place(l.width, l.height, t.mode.hdisplay, t.mode.vdisplay, ScaleMode::None);
    // The old buffers may be on screen until the modeset: let them go after it.
    scanout.retire(chain_.take_framebuffers());
    const Format* src = l.format;
    const Format* format = src && src->bytes_per_pixel == 4 && t.plane.supports(src->fourcc)
                               ? src
                               : find_format(xrgb8888);
    Result<DumbSwapchain> chain =
        DumbSwapchain::create(t.dev, t.mode.hdisplay, t.mode.vdisplay, format, placement_);
    if (!chain)
        return chain.error();
    chain_ = std::move(*chain);
    Region copied;
    stats.bytes_copied += chain_.fill(0, buffer, **map, copied);
    stats.submitted_ns = now_ns();
    if (Status s = scanout.modeset(chain_.fb(0), full_screen(t)); !s)
        return s;
    chain_.shown(0);
    return {};
}

Status DumbCopyPath::flip(const CopyTarget& t, const Frame& frame, std::vector<uint64_t> seqs,
                          Scanout& scanout, SubmitStats& stats, Region& clips) {
    Result<const Mapping*> map = mapping_for(*frame.buffer, stats);
    if (!map)
        return map.error();
    stats.imported_ns = now_ns();
    chain_.add_damage(frame.damage);
    const int back = chain_.back();
    Region copied;
    stats.bytes_copied += chain_.fill(back, *frame.buffer, **map, copied);
    clips = damage_clips(copied, t.mode.hdisplay, t.mode.vdisplay, chain_.pitch(back), t.quirks);
    stats.submitted_ns = now_ns();
    return scanout.flip(chain_.fb(back), full_screen(t), clips,
                        Scanout::Flip{std::move(seqs), 0, back});
}

void DumbCopyPath::clear() {
    chain_ = DumbSwapchain();
    maps_.clear();
}

Placement DumbCopyPath::full_screen(const CopyTarget& t) {
    const Rect screen{0, 0, int32_t(t.mode.hdisplay), int32_t(t.mode.vdisplay)};
    return {screen, screen};
}

Result<const Mapping*> DumbCopyPath::mapping_for(const Buffer& buffer, SubmitStats& stats) {
    auto it = maps_.find(buffer.id());
    if (it == maps_.end()) {
        if (Status s = buffer.layout().validate(buffer.size()); !s)
            return Error{"kms: buffer from " + buffer.origin() + ": " + s.error().message,
                         s.error().errnum};
        Result<Mapping> map = buffer.map(PROT_READ);
        if (!map)
            return Error{"kms: " + map.error().message, map.error().errnum};
        it = maps_.emplace(buffer.id(), std::move(*map)).first;
        ++stats.imports;
    }
    return &it->second;
}

} // namespace udmaview::kms
