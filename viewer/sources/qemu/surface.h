// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <memory>
#include <optional>

#include "udmaview/error.h"
#include "udmaview/frame.h"
#include "udmaview/memfd.h"
#include "udmaview/udmabuf.h"

namespace udmaview::qemu {

// Our copy of a QEMU console surface larger than this is refused (8192×8192×4).
constexpr uint64_t max_surface_bytes = 256ull << 20;

// True when rect is non-empty and lies inside a width × height surface (no int overflow).
bool rect_inside(const Rect& rect, uint32_t width, uint32_t height);
// Checks a Scanout(width, height, stride, pixman_format, data) and returns its format.
Result<const Format*> check_scanout(uint32_t width, uint32_t height, uint32_t stride,
                                    uint32_t pixman_format, uint64_t data_size);
// Checks an Update(x, y, w, h, stride, pixman_format, data) against the current surface:
// rectangle non-empty and inside, same format, stride >= w × bpp, data >= stride × h.
Status check_update(const Layout& surface, const Rect& rect, uint32_t stride,
                    uint32_t pixman_format, uint64_t data_size);
// Checks a ScanoutDMABUF against the dma-buf's real size; returns the layout to use.
Result<Layout> check_dmabuf(uint32_t width, uint32_t height, uint32_t stride, uint32_t fourcc,
                            uint64_t modifier, bool y0_top, uint64_t dmabuf_size);

// Our memfd-backed copy of a QEMU console surface (for Scanout/Update, where QEMU sends pixel
// bytes): one Buffer with a memfd Backing and, when /dev/udmabuf is usable, a dma-buf of the
// same pages, so outputs import it once. Each Update is copied into it, rectangle only.
class Surface {
public:
    static Result<std::unique_ptr<Surface>> create(uint32_t width, uint32_t height,
                                                   const Format* format, const Udmabuf* udmabuf);

    const std::shared_ptr<const Buffer>& buffer() const { return owned_.buffer; }
    const Layout& layout() const { return owned_.buffer->layout(); }
    // Copies rect (checked by the caller) from src rows of src_stride bytes; returns the
    // number of bytes written.
    uint64_t copy_rect(const Rect& rect, const uint8_t* src, uint32_t src_stride);

private:
    explicit Surface(OwnedBuffer owned)
        : owned_(std::move(owned)) {}

    OwnedBuffer owned_;
};

} // namespace udmaview::qemu
