// SPDX-License-Identifier: MIT
#include "outputs/headless/headless_output.h"

#include <cerrno>
#include <optional>
#include <sys/mman.h>

#include "udmaview/clock.h"
#include "udmaview/dma_buf.h"
#include "udmaview/png.h"

namespace udmaview {

Result<const Mapping*> HeadlessOutput::mapping_for(const Buffer& buffer, SubmitStats& stats) {
    auto it = mappings_.find(buffer.id());
    if (it == mappings_.end()) {
        if (Status s = buffer.layout().validate(buffer.size()); !s)
            return Error{"headless: buffer from " + buffer.origin() + ": " + s.error().message,
                         s.error().errnum};
        Result<Mapping> mapping = buffer.map(PROT_READ);
        if (!mapping)
            return Error{"headless: " + mapping.error().message, mapping.error().errnum};
        it = mappings_.emplace(buffer.id(), std::move(*mapping)).first;
        ++stats.imports;
    }
    return &it->second;
}

Status HeadlessOutput::submit(const Frame& frame, SubmitStats& stats, OutputSink& sink) {
    if (!frame.buffer)
        return Error{"headless: frame " + std::to_string(frame.seq) + " has no buffer", EINVAL};
    Result<const Mapping*> mapping = mapping_for(*frame.buffer, stats);
    if (!mapping)
        return mapping.error();
    stats.imported_ns = now_ns();
    stats.path = frame.buffer->dmabuf() ? "mmap dma-buf" : "mmap memfd";

    const Layout& layout = frame.buffer->layout();
    const uint8_t* base = (*mapping)->data() + layout.offset;
    const unsigned bpp = layout.format->bytes_per_pixel;
    std::optional<DmaBufSync> sync = frame.buffer->cpu_access(DmaBufSync::Read);
    stats.submitted_ns = now_ns();
    uint64_t sum = checksum_;
    const Region damage = frame.damage.intersected(layout.bounds());
    for (const Rect& r : damage.rects()) {
        for (int32_t y = r.y; y < r.bottom(); ++y) {
            const uint8_t* p = base + size_t(y) * layout.stride + size_t(r.x) * bpp;
            const uint8_t* end = p + size_t(r.w) * bpp;
            for (; p < end; ++p)
                sum = sum * 31 + *p;
        }
    }
    checksum_ = sum;
    sync.reset();
    sink.on_presented(frame.seq, now_ns());
    return {};
}

Status HeadlessOutput::finish(const Frame* last) {
    if (options_.dump_png.empty())
        return {};
    if (!last || !last->buffer)
        return Error{"headless: no frame arrived, so there is nothing to write to " +
                         options_.dump_png,
                     ENODATA};
    SubmitStats unused;
    Result<const Mapping*> mapping = mapping_for(*last->buffer, unused);
    if (!mapping)
        return mapping.error();
    std::optional<DmaBufSync> sync = last->buffer->cpu_access(DmaBufSync::Read);
    return write_png(options_.dump_png, to_rgba(last->buffer->layout(), (*mapping)->data()));
}

} // namespace udmaview
