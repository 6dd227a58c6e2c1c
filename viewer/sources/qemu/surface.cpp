// SPDX-License-Identifier: MIT
#include "sources/qemu/surface.h"

#include <cerrno>
#include <cstring>
#include <sys/mman.h>

#include "sources/qemu/pixman_format.h"

namespace udmaview::qemu {

namespace {

constexpr uint32_t max_dimension = 16384;

std::string size_text(uint32_t w, uint32_t h) {
    return std::to_string(w) + "x" + std::to_string(h);
}

} // namespace

bool rect_inside(const Rect& rect, uint32_t width, uint32_t height) {
    return rect.w > 0 && rect.h > 0 && rect.x >= 0 && rect.y >= 0 &&
           int64_t(rect.x) + rect.w <= int64_t(width) &&
           int64_t(rect.y) + rect.h <= int64_t(height);
}

Result<const Format*> check_scanout(uint32_t width, uint32_t height, uint32_t stride,
                                    uint32_t pixman_format, uint64_t data_size) {
    const std::string what = "Scanout " + size_text(width, height) + " stride " +
                             std::to_string(stride) + " " + describe_pixman(pixman_format);
    const Format* format = format_from_pixman(pixman_format);
    if (!format)
        return Error{what + ": unknown pixman format", EINVAL};
    if (width == 0 || height == 0)
        return Error{what + ": zero size", EINVAL};
    if (width > max_dimension || height > max_dimension)
        return Error{what + ": larger than " + std::to_string(max_dimension) + " pixels", E2BIG};
    const uint64_t row = uint64_t(width) * format->bytes_per_pixel;
    if (stride < row)
        return Error{what + ": stride smaller than width × " +
                         std::to_string(format->bytes_per_pixel) + " bytes",
                     EINVAL};
    if (row * height > max_surface_bytes)
        return Error{what + ": surface larger than " + std::to_string(max_surface_bytes >> 20) +
                         " MiB",
                     E2BIG};
    if (data_size < uint64_t(stride) * height)
        return Error{what + ": " + std::to_string(data_size) +
                         " data bytes, shorter than stride × height",
                     EINVAL};
    return format;
}

Status check_update(const Layout& surface, const Rect& rect, uint32_t stride,
                    uint32_t pixman_format, uint64_t data_size) {
    const std::string what = "Update " + rect.to_string() + " stride " + std::to_string(stride) +
                             " " + describe_pixman(pixman_format);
    const Format* format = format_from_pixman(pixman_format);
    if (!format)
        return Error{what + ": unknown pixman format", EINVAL};
    if (!surface.format || surface.width == 0)
        return Error{what + ": no surface yet (no Scanout)", EINVAL};
    if (format != surface.format)
        return Error{what + ": format differs from the surface's " +
                         std::string(surface.format->name),
                     EINVAL};
    if (rect.empty())
        return Error{what + ": empty rectangle", EINVAL};
    if (!rect_inside(rect, surface.width, surface.height))
        return Error{what + ": rectangle outside the " + size_text(surface.width, surface.height) +
                         " surface",
                     EINVAL};
    const uint64_t row = uint64_t(rect.w) * format->bytes_per_pixel;
    if (stride < row)
        return Error{what + ": stride smaller than width × " +
                         std::to_string(format->bytes_per_pixel) + " bytes",
                     EINVAL};
    if (data_size < uint64_t(stride) * uint64_t(rect.h))
        return Error{what + ": " + std::to_string(data_size) +
                         " data bytes, shorter than stride × height",
                     EINVAL};
    return {};
}

Result<Layout> check_dmabuf(uint32_t width, uint32_t height, uint32_t stride, uint32_t fourcc,
                            uint64_t modifier, bool y0_top, uint64_t dmabuf_size) {
    Layout layout;
    layout.width = width;
    layout.height = height;
    layout.stride = stride;
    layout.modifier = modifier;
    layout.y0_top = y0_top;
    layout.format = find_format(fourcc);
    char code[5] = {char(fourcc & 0xff), char((fourcc >> 8) & 0xff), char((fourcc >> 16) & 0xff),
                    char((fourcc >> 24) & 0xff), 0};
    for (char& c : code)
        if (c && (c < 32 || c > 126))
            c = '?';
    const std::string what = "ScanoutDMABUF " + size_text(width, height) + " stride " +
                             std::to_string(stride) + " fourcc " + code + " (" +
                             std::to_string(dmabuf_size) + "-byte dma-buf)";
    if (!layout.format)
        return Error{what + ": unknown DRM fourcc", EINVAL};
    if (width == 0 || height == 0)
        return Error{what + ": zero size", EINVAL};
    if (modifier != modifier_linear) {
        // Tiled layouts: the stride/size rule below does not hold; outputs import as is.
        if (width > max_dimension || height > max_dimension)
            return Error{what + ": too large", E2BIG};
        return layout;
    }
    if (Status s = layout.validate(dmabuf_size); !s)
        return Error{what + ": " + s.error().message, s.error().errnum};
    return layout;
}

Result<std::unique_ptr<Surface>> Surface::create(uint32_t width, uint32_t height,
                                                 const Format* format, const Udmabuf* udmabuf) {
    Layout layout;
    layout.width = width;
    layout.height = height;
    layout.format = format;
    // 64-byte pitch: every KMS driver we know accepts it.
    layout.stride = uint32_t(align_up(uint64_t(width) * format->bytes_per_pixel, 64));
    const uint64_t size = align_up(uint64_t(layout.stride) * height, page_size());
    if (size > max_surface_bytes)
        return Error{"qemu: surface " + size_text(width, height) + " too large", E2BIG};
    if (Status s = layout.validate(size); !s)
        return Error{"qemu: " + s.error().message, s.error().errnum};
    const std::string name = "udmaview-qemu-" + size_text(width, height);
    Result<OwnedBuffer> owned = OwnedBuffer::create(name, layout, udmabuf, "qemu Scanout");
    if (!owned && udmabuf) // no dma-buf after all: outputs map the memfd instead
        owned = OwnedBuffer::create(name, layout, nullptr, "qemu Scanout");
    if (!owned)
        return owned.error();
    return std::unique_ptr<Surface>(new Surface(std::move(*owned)));
}

uint64_t Surface::copy_rect(const Rect& rect, const uint8_t* src, uint32_t src_stride) {
    const Layout& l = layout();
    if (!rect_inside(rect, l.width, l.height)) // the caller checked; never write outside
        return 0;
    const Rect r = rect;
    const size_t bpp = l.format->bytes_per_pixel;
    const size_t row = size_t(r.w) * bpp;
    std::optional<DmaBufSync> sync = owned_.buffer->cpu_access(DmaBufSync::Write);
    uint8_t* dst = owned_.pixels.data() + l.offset + size_t(r.y) * l.stride + size_t(r.x) * bpp;
    for (int32_t y = 0; y < r.h; ++y)
        std::memcpy(dst + size_t(y) * l.stride, src + size_t(y) * src_stride, row);
    return uint64_t(row) * uint64_t(r.h);
}

} // namespace udmaview::qemu
