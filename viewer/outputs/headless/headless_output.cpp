// SPDX-License-Identifier: MIT
#include "outputs/headless/headless_output.h"

#include <cerrno>
#include <optional>
#include <sys/mman.h>

#include "udmaview/clock.h"
#include "udmaview_config.h"
#if UDMAVIEW_HAVE_EGL
#include "outputs/headless/headless_gl.h"
#else
namespace udmaview {
class HeadlessGlView {}; // --render gl is refused at start() without EGL
} // namespace udmaview
#endif
#include "outputs/headless/headless_pixman.h"
#include "udmaview/dma_buf.h"
#include "udmaview/png.h"

namespace udmaview {

HeadlessOutput::HeadlessOutput(HeadlessOptions options)
    : options_(std::move(options)) {}

HeadlessOutput::~HeadlessOutput() = default;

Status HeadlessOutput::start() {
    if (options_.render == HeadlessRender::Pixman && !pixman_)
        pixman_ =
            std::make_unique<HeadlessPixmanView>(HeadlessPixmanOptions{.width = options_.width,
                                                                       .height = options_.height,
                                                                       .scale = options_.scale,
                                                                       .linear = options_.linear});
    if (options_.render != HeadlessRender::Gl || gl_)
        return {};
#if UDMAVIEW_HAVE_EGL
    Result<std::unique_ptr<HeadlessGlView>> gl =
        HeadlessGlView::create(HeadlessGlOptions{.width = options_.width,
                                                 .height = options_.height,
                                                 .scale = options_.scale,
                                                 .linear = options_.linear,
                                                 .allow_import = options_.allow_import,
                                                 .verbose = options_.verbose});
    if (!gl)
        return gl.error();
    gl_ = std::move(*gl);
    return {};
#else
    return Error{"headless --render gl: not built into this udmaview (it needs EGL and GLESv2: "
                 "install libegl-dev libgles-dev and rebuild); use --render cpu",
                 ENOTSUP};
#endif
}

void HeadlessOutput::stop() {
    mappings_.clear();
}

void HeadlessOutput::retire(BufferId id) {
    mappings_.erase(id);
    if (pixman_)
        pixman_->retire(id);
#if UDMAVIEW_HAVE_EGL
    if (gl_)
        gl_->retire(id);
#endif
}

std::vector<std::pair<std::string, uint64_t>> HeadlessOutput::counters() const {
    if (pixman_)
        return pixman_->counters();
#if UDMAVIEW_HAVE_EGL
    if (gl_)
        return gl_->counters();
#endif
    return {};
}

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

uint64_t HeadlessOutput::checksum_damage(const Frame& frame, const uint8_t* mapped) const {
    const Layout& layout = frame.buffer->layout();
    const uint8_t* base = mapped + layout.offset;
    const unsigned bpp = layout.format->bytes_per_pixel;
    std::optional<DmaBufSync> sync = frame.buffer->cpu_access(DmaBufSync::Read);
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
    return sum;
}

Status HeadlessOutput::submit(const Frame& frame, SubmitStats& stats, OutputSink& sink) {
    if (!frame.buffer)
        return Error{"headless: frame " + std::to_string(frame.seq) + " has no buffer", EINVAL};
#if UDMAVIEW_HAVE_EGL
    if (gl_) {
        if (Status s = gl_->submit(frame, stats); !s)
            return s;
        sink.on_presented(frame.seq, now_ns());
        return {};
    }
#endif
    if (pixman_) {
        if (Status s = pixman_->submit(frame, stats); !s)
            return s;
        sink.on_presented(frame.seq, now_ns());
        return {};
    }
    Result<const Mapping*> mapping = mapping_for(*frame.buffer, stats);
    if (!mapping)
        return mapping.error();
    stats.imported_ns = now_ns();
    stats.path = frame.buffer->dmabuf() ? "mmap dma-buf" : "mmap memfd";
    stats.submitted_ns = now_ns();
    if (options_.checksum)
        checksum_ = checksum_damage(frame, (*mapping)->data());
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
#if UDMAVIEW_HAVE_EGL
    if (gl_) {
        Result<RgbaImage> drawn = gl_->read();
        if (!drawn)
            return drawn.error();
        return write_png(options_.dump_png, *drawn);
    }
#endif
    if (pixman_) {
        Result<RgbaImage> drawn = pixman_->read();
        if (!drawn)
            return drawn.error();
        return write_png(options_.dump_png, *drawn);
    }
    SubmitStats unused;
    Result<const Mapping*> mapping = mapping_for(*last->buffer, unused);
    if (!mapping)
        return mapping.error();
    std::optional<DmaBufSync> sync = last->buffer->cpu_access(DmaBufSync::Read);
    RgbaImage image = to_rgba(last->buffer->layout(), (*mapping)->data());
    draw_cursor(image, cursor_);
    return write_png(options_.dump_png, image);
}

void HeadlessOutput::set_cursor(const CursorState& cursor) {
    cursor_ = cursor;
    if (pixman_)
        pixman_->set_pointer(cursor);
}

void draw_cursor(RgbaImage& image, const CursorState& cursor) {
    if (!cursor.visible || !cursor.image)
        return;
    const CursorImage& c = *cursor.image;
    const int64_t x0 = int64_t(cursor.x) - c.hot_x, y0 = int64_t(cursor.y) - c.hot_y;
    for (uint32_t cy = 0; cy < c.height; ++cy) {
        const int64_t y = y0 + cy;
        if (y < 0 || y >= int64_t(image.height))
            continue;
        for (uint32_t cx = 0; cx < c.width; ++cx) {
            const int64_t x = x0 + cx;
            if (x < 0 || x >= int64_t(image.width))
                continue;
            const uint32_t argb = c.pixels[size_t(cy) * c.width + cx];
            const uint32_t a = argb >> 24;
            uint8_t* p = &image.pixels[(size_t(y) * image.width + size_t(x)) * 4];
            const uint32_t src[3] = {(argb >> 16) & 0xff, (argb >> 8) & 0xff, argb & 0xff};
            for (int i = 0; i < 3; ++i)
                p[i] = uint8_t((src[i] * a + p[i] * (255 - a) + 127) / 255);
        }
    }
}

} // namespace udmaview
