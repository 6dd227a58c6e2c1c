// SPDX-License-Identifier: MIT
#include "render/pixman_renderer.h"

#include <algorithm>
#include <bit>
#include <cerrno>
#include <climits>
#include <cmath>
#include <sys/mman.h>

#include "render/pixman_format.h"
#include "render/premultiply.h"
#include "udmaview/dma_buf.h"

namespace udmaview {

namespace {

pixman_box32_t box(const Rect& r) {
    return pixman_box32_t{r.x, r.y, r.right(), r.bottom()};
}

pixman_color_t color(uint8_t r, uint8_t g, uint8_t b) {
    return pixman_color_t{uint16_t(r * 257), uint16_t(g * 257), uint16_t(b * 257), 0xffff};
}

void fill(pixman_image_t* dst, const Rect& r, const pixman_color_t& c) {
    if (r.empty())
        return;
    const pixman_rectangle16_t rect{int16_t(r.x), int16_t(r.y), uint16_t(r.w), uint16_t(r.h)};
    pixman_image_fill_rectangles(PIXMAN_OP_SRC, dst, &c, 1, &rect);
}

// HudCanvas's R, G, B, A bytes as one pixman format.
constexpr pixman_format_code_t rgba_bytes =
    std::endian::native == std::endian::little ? PIXMAN_a8b8g8r8 : PIXMAN_r8g8b8a8;

pixman_fixed_t fixed(double v) {
    return pixman_fixed_t(std::llround(v * 65536.0));
}

} // namespace

const char* renderer_kind_name(RendererKind kind) {
    return kind == RendererKind::Gles ? "gles" : "pixman";
}

PixmanRenderer::~PixmanRenderer() = default;

Result<std::unique_ptr<PixmanRenderer>> PixmanRenderer::create(const RenderTarget& target) {
    std::unique_ptr<PixmanRenderer> r(new PixmanRenderer());
    if (Status s = r->set_target(target); !s)
        return s.error();
    return r;
}

Status PixmanRenderer::set_target(const RenderTarget& target) {
    Result<pixman_format_code_t> format = pixman_target_format(target.fourcc);
    if (!format)
        return format.error();
    if (!target.pixels || target.stride % 4 || target.width > INT16_MAX ||
        target.height > INT16_MAX ||
        target.stride < target.width * (PIXMAN_FORMAT_BPP(*format) / 8))
        return Error{"pixman: cannot draw into a " + std::to_string(target.width) + "x" +
                         std::to_string(target.height) + " target with stride " +
                         std::to_string(target.stride) +
                         " (needs memory, a stride that is a multiple of 4 and holds a row, at "
                         "most 32767 pixels a side)",
                     EINVAL};
    pixman_image_t* image = pixman_image_create_bits_no_clear(
        *format, int(target.width), int(target.height), reinterpret_cast<uint32_t*>(target.pixels),
        int(target.stride));
    if (!image)
        return Error{"pixman: cannot make an image of the target (out of memory?)", ENOMEM};
    dst_.reset(image);
    target_ = target;
    return {};
}

Status PixmanRenderer::update(const Frame& frame, SubmitStats& stats) {
    if (!frame.buffer)
        return Error{"pixman: frame " + std::to_string(frame.seq) + " has no buffer", EINVAL};
    const Buffer& buffer = *frame.buffer;
    const Layout& l = buffer.layout();
    if (Status s = l.validate(buffer.size()); !s)
        return Error{"pixman: buffer from " + buffer.origin() + ": " + s.error().message,
                     s.error().errnum};
    stats.path = "pixman";
    const Region damage = frame.damage.intersected(l.bounds());
    stats.bytes_copied += uint64_t(damage.area()) * l.format->bytes_per_pixel;
    if (entries_.count(buffer.id()))
        return {};
    Result<pixman_format_code_t> format = pixman_source_format(*l.format);
    if (!format)
        return format.error();
    if (l.stride % 4 || l.offset % 4)
        return Error{"pixman: " + l.to_string() + " from " + buffer.origin() +
                         " has a stride or offset that is not a multiple of 4, which pixman "
                         "cannot read; use --sdl-path gl or a source with aligned rows",
                     EINVAL};
    Result<Mapping> mapping = buffer.map(PROT_READ);
    if (!mapping)
        return Error{"pixman: " + mapping.error().message, mapping.error().errnum};
    Entry entry;
    entry.buffer = frame.buffer;
    entry.mapping = std::move(*mapping);
    entry.image.reset(pixman_image_create_bits_no_clear(
        *format, int(l.width), int(l.height),
        reinterpret_cast<uint32_t*>(entry.mapping.data() + l.offset), int(l.stride)));
    if (!entry.image)
        return Error{"pixman: cannot wrap " + l.to_string() + " in an image (out of memory?)",
                     ENOMEM};
    pixman_image_set_repeat(entry.image.get(), PIXMAN_REPEAT_PAD);
    entries_.emplace(buffer.id(), std::move(entry));
    ++stats.imports;
    return {};
}

void PixmanRenderer::retire(BufferId id) {
    entries_.erase(id);
}

int32_t PixmanRenderer::exact_span(uint32_t src, int32_t dst) {
    if (dst <= 0 || (uint64_t(src) << 16) % uint64_t(dst) == 0)
        return INT32_MAX; // the step is exact in 16.16: no rounding accumulates
    // A sample's exact position is a multiple of 1 / (2 dst) away from a pixel edge; the
    // bias keeps it a quarter of that above, and each step may add half a 16.16 unit.
    const int32_t bias = int32_t(65536 / (4 * int64_t(dst)));
    return std::max(1, 2 * bias - 2);
}

void PixmanRenderer::composite_scaled(pixman_image_t* src, uint32_t src_w, uint32_t src_h,
                                      bool flip, const Rect& quad, const Rect& visible,
                                      pixman_op_t op, bool linear) {
    if (visible.empty() || quad.empty())
        return;
    if (src_w == uint32_t(quad.w) && src_h == uint32_t(quad.h) && !flip) {
        pixman_image_set_transform(src, nullptr);
        pixman_image_set_filter(src, PIXMAN_FILTER_NEAREST, nullptr, 0);
        pixman_image_composite32(op, src, nullptr, dst_.get(), visible.x - quad.x,
                                 visible.y - quad.y, 0, 0, visible.x, visible.y, visible.w,
                                 visible.h);
        return;
    }
    pixman_image_set_filter(src, linear ? PIXMAN_FILTER_BILINEAR : PIXMAN_FILTER_NEAREST, nullptr,
                            0);
    const double sx = double(src_w) / quad.w, sy = double(src_h) / quad.h;
    const pixman_fixed_t ux = fixed(sx), uy = fixed(sy);
    // Nearest: pixman takes pixman_fixed_e off before it rounds down, so a sample on a pixel
    // edge goes to the pixel before it, as GL's does; a quarter of the smallest distance to
    // an edge taken off as well keeps the 16.16 rounding from ever crossing one. Bilinear:
    // pixman cuts weights to 7 bits by rounding down; half a step rounds them to nearest.
    constexpr pixman_fixed_t half_weight = 1 << (16 - 7 - 1);
    const pixman_fixed_t bx =
        linear ? half_weight : 1 - pixman_fixed_t(65536 / (4 * int64_t(quad.w)));
    const pixman_fixed_t by =
        linear ? half_weight : 1 - pixman_fixed_t(65536 / (4 * int64_t(quad.h)));
    const int32_t span_x = exact_span(src_w, quad.w), span_y = exact_span(src_h, quad.h);
    for (int32_t y = visible.y; y < visible.bottom(); y += std::min(span_y, visible.h)) {
        const int32_t h = std::min(span_y, visible.bottom() - y);
        // Rows of a bottom-up buffer are counted from the picture's bottom edge.
        const pixman_fixed_t ty =
            flip ? fixed((quad.bottom() - y) * sy) + by : fixed((y - quad.y) * sy) + by;
        for (int32_t x = visible.x; x < visible.right(); x += std::min(span_x, visible.w)) {
            const int32_t w = std::min(span_x, visible.right() - x);
            const pixman_fixed_t tx = fixed((x - quad.x) * sx) + bx;
            pixman_transform_t t{{{ux, 0, tx}, {0, flip ? -uy : uy, ty}, {0, 0, pixman_fixed_1}}};
            pixman_image_set_transform(src, &t);
            pixman_image_composite32(op, src, nullptr, dst_.get(), 0, 0, 0, 0, x, y, w, h);
        }
    }
}

void PixmanRenderer::draw_picture(const Scene& scene, size_t tile, const Entry& entry,
                                  const pixman_region32_t& clip) {
    const Layout& l = entry.buffer->layout();
    const Rect quad = scene.picture_rect(tile);
    const Rect shown = scene.placement(tile).dst;
    std::optional<DmaBufSync> sync = entry.buffer->cpu_access(DmaBufSync::Read);
    int n = 0;
    const pixman_box32_t* boxes = pixman_region32_rectangles(&clip, &n);
    for (int i = 0; i < n; ++i) {
        const Rect r{boxes[i].x1, boxes[i].y1, boxes[i].x2 - boxes[i].x1,
                     boxes[i].y2 - boxes[i].y1};
        composite_scaled(entry.image.get(), l.width, l.height, !l.y0_top, quad, r.intersect(shown),
                         PIXMAN_OP_SRC, scene.linear());
    }
}

void PixmanRenderer::draw_overlays(const Scene& scene, const pixman_region32_t& clip) {
    int n = 0;
    const pixman_box32_t* boxes = pixman_region32_rectangles(&clip, &n);
    const auto each = [&](const Rect& area, auto&& draw) {
        for (int i = 0; i < n; ++i) {
            const Rect r =
                Rect{boxes[i].x1, boxes[i].y1, boxes[i].x2 - boxes[i].x1, boxes[i].y2 - boxes[i].y1}
                    .intersect(area);
            if (!r.empty())
                draw(r);
        }
    };
    for (const SceneFill& f : scene.fills())
        each(f.rect, [&](const Rect& r) { fill(dst_.get(), r, color(f.r, f.g, f.b)); });

    const Rect pointer = scene.pointer_rect();
    const CursorState& state = scene.pointer();
    if (!pointer.empty()) {
        const CursorImage& c = *state.image;
        if (state.image != pointer_made_) {
            pointer_pixels_.resize(size_t(c.width) * c.height);
            for (size_t i = 0; i < pointer_pixels_.size() && i < c.pixels.size(); ++i)
                pointer_pixels_[i] = premultiplied_argb(c.pixels[i]);
            pointer_.reset(pixman_image_create_bits(PIXMAN_a8r8g8b8, int(c.width), int(c.height),
                                                    pointer_pixels_.data(), int(c.width * 4)));
            if (pointer_)
                pixman_image_set_repeat(pointer_.get(), PIXMAN_REPEAT_PAD);
            pointer_made_ = state.image;
        }
        if (pointer_)
            each(pointer, [&](const Rect& r) {
                composite_scaled(pointer_.get(), c.width, c.height, false, scene.pointer_quad(), r,
                                 PIXMAN_OP_OVER, scene.linear());
            });
    }

    const Rect hud = scene.hud_rect();
    if (!hud.empty()) {
        // The canvas is premultiplied already: pixman reads it where it is (never writes it).
        const HudCanvas& canvas = *scene.hud();
        uint8_t* rgba = const_cast<uint8_t*>(canvas.pixels().data());
        hud_.reset(pixman_image_create_bits(rgba_bytes, int(canvas.width()), int(canvas.height()),
                                            reinterpret_cast<uint32_t*>(rgba),
                                            int(canvas.width() * 4)));
        if (hud_)
            each(hud, [&](const Rect& r) {
                pixman_image_composite32(PIXMAN_OP_OVER, hud_.get(), nullptr, dst_.get(),
                                         r.x - Scene::hud_offset, r.y - Scene::hud_offset, 0, 0,
                                         r.x, r.y, r.w, r.h);
            });
    }
}

Status PixmanRenderer::draw(const Scene& scene, const Region& rects) {
    const Rect whole{0, 0, int32_t(target_.width), int32_t(target_.height)};
    const Region clip = rects.intersected(whole);
    if (clip.empty())
        return {};
    // Black where no picture goes (letterbox, tile frames, tiles without a picture yet).
    Region pictures;
    for (size_t i = 0; i < scene.tiles(); ++i)
        if (scene.picture(i) && entries_.count(scene.picture(i)->id()))
            pictures.add(scene.placement(i).dst);
    const Region letterbox = clip.subtracted(pictures);
    for (const Rect& r : letterbox.rects())
        fill(dst_.get(), r, color(0, 0, 0));

    for (size_t i = 0; i < scene.tiles(); ++i) {
        if (!scene.picture(i))
            continue;
        auto it = entries_.find(scene.picture(i)->id());
        if (it == entries_.end())
            return Error{"pixman: tile " + std::to_string(i) +
                             "'s buffer was drawn before "
                             "update() mapped it",
                         EINVAL};
        const Region part = clip.intersected(scene.placement(i).dst);
        if (part.empty())
            continue;
        pixman_region32_t region;
        std::vector<pixman_box32_t> boxes;
        for (const Rect& r : part.rects())
            boxes.push_back(box(r));
        pixman_region32_init_rects(&region, boxes.data(), int(boxes.size()));
        draw_picture(scene, i, it->second, region);
        pixman_region32_fini(&region);
    }

    pixman_region32_t region;
    std::vector<pixman_box32_t> boxes;
    for (const Rect& r : clip.rects())
        boxes.push_back(box(r));
    pixman_region32_init_rects(&region, boxes.data(), int(boxes.size()));
    draw_overlays(scene, region);
    pixman_region32_fini(&region);
    return {};
}

} // namespace udmaview
