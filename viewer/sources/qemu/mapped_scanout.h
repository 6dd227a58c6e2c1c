// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "udmaview/error.h"
#include "udmaview/frame.h"
#include "udmaview/mapping.h"
#include "udmaview/udmabuf.h"
#include "udmaview/unique_fd.h"

namespace udmaview::qemu {

// Checks a ScanoutMap(offset, width, height, stride, pixman_format) against the shared file of
// file_size bytes: known format, sizes 1..16384, stride >= width × bpp, and offset + stride ×
// height inside the file. Returns the layout with offset relative to the file's start.
Result<Layout> check_scanout_map(uint64_t file_size, uint32_t offset, uint32_t width,
                                 uint32_t height, uint32_t stride, uint32_t pixman_format);
// The part of an UpdateMap(x, y, w, h) rectangle inside the surface; an Error when the
// rectangle is empty or lies fully outside.
Result<Rect> clip_update_map(const Layout& surface, const Rect& rect);
// Why a memfd with these F_SEAL_* bits cannot become a udmabuf dma-buf; empty when it can
// (F_SEAL_SHRINK present, no write seal).
std::string udmabuf_refusal(unsigned raw_seals);

// A surface QEMU (9.2 and later) shares through org.qemu.Display1.Listener.Unix.Map: its own
// memfd, mapped here once read-only and handed to outputs as the Buffer's memfd backing, so
// they read QEMU's pixels in place and the source copies nothing.
class MappedScanout {
public:
    // fd: the file QEMU passed (owned from now on). udmabuf: try a dma-buf of it when given
    // and the file's seals allow it; otherwise no_dmabuf() says why.
    static Result<std::unique_ptr<MappedScanout>> adopt(UniqueFd fd, uint32_t offset,
                                                        uint32_t width, uint32_t height,
                                                        uint32_t stride, uint32_t pixman_format,
                                                        const Udmabuf* udmabuf);

    const std::shared_ptr<const Buffer>& buffer() const { return buffer_; }
    const Layout& layout() const { return buffer_->layout(); }
    // Why the buffer has no dma-buf (empty when it has one).
    const std::string& no_dmabuf() const { return no_dmabuf_; }

private:
    MappedScanout(Mapping view, std::shared_ptr<const Buffer> buffer, std::string no_dmabuf)
        : view_(std::move(view))
        , buffer_(std::move(buffer))
        , no_dmabuf_(std::move(no_dmabuf)) {}

    Mapping view_; // proves the range can be mapped; held while QEMU's surface is shown
    std::shared_ptr<const Buffer> buffer_;
    std::string no_dmabuf_;
};

} // namespace udmaview::qemu
