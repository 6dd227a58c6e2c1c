// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "udmaview/dma_buf.h"
#include "udmaview/error.h"
#include "udmaview/format.h"
#include "udmaview/mapping.h"
#include "udmaview/memfd.h"
#include "udmaview/region.h"
#include "udmaview/unique_fd.h"

namespace udmaview {

// Names one buffer for its whole life; never reused within a process, so outputs can key
// their import caches (KMS FB, EGLImage, mapping) on it.
using BufferId = uint64_t;
BufferId next_buffer_id();

constexpr uint64_t modifier_linear = 0; // DRM_FORMAT_MOD_LINEAR

// Where the pixels are inside the buffer's bytes.
struct Layout {
    uint32_t width = 0;
    uint32_t height = 0;
    uint32_t stride = 0; // bytes per row
    uint64_t offset = 0; // of the first pixel row, inside the buffer
    const Format* format = nullptr;
    uint64_t modifier = modifier_linear;
    bool y0_top = true; // false: rows are stored bottom-up (GL textures from QEMU)

    // Bytes from the first byte of row 0 to the end of the last pixel.
    uint64_t min_bytes() const;
    Rect bounds() const { return {0, 0, int32_t(width), int32_t(height)}; }
    // Checks width/height/stride/format against the limits and a buffer of size bytes.
    Status validate(uint64_t buffer_size) const;
    std::string to_string() const;
};

// A piece of a memfd that backs part of a buffer; keeps the memfd open.
struct Backing {
    std::shared_ptr<const UniqueFd> memfd;
    uint64_t offset = 0;
    uint64_t size = 0;
};

// The pixels of one source surface: a list of memfd ranges (when the source knows them)
// and a dma-buf (when one could be made or was received). At least one of the two is set.
// Outputs choose: import the dma-buf (zero copy) or map it/the memfds and copy damage.
class Buffer {
public:
    Buffer(Layout layout, std::vector<Backing> backing, std::optional<DmaBuf> dmabuf,
           std::string origin);

    BufferId id() const { return id_; }
    const Layout& layout() const { return layout_; }
    const std::vector<Backing>& backing() const { return backing_; }
    const DmaBuf* dmabuf() const { return dmabuf_ ? &*dmabuf_ : nullptr; }
    uint64_t size() const { return size_; }
    // Who made it ("demo", "qemu ScanoutDMABUF", …): for messages.
    const std::string& origin() const { return origin_; }

    // A CPU view of all bytes: the dma-buf's mapping, else the memfd ranges placed side by
    // side in one reserved address range. Reading a dma-buf mapping needs a DmaBufSync.
    Result<Mapping> map(int prot) const;
    // Brackets CPU access to the pixels: DMA_BUF_IOCTL_SYNC on the dma-buf while the result
    // lives; nothing for memfd-only buffers (or when the exporter refuses the sync).
    std::optional<DmaBufSync> cpu_access(DmaBufSync::Access access) const;

private:
    BufferId id_;
    Layout layout_;
    std::vector<Backing> backing_;
    std::optional<DmaBuf> dmabuf_;
    uint64_t size_ = 0;
    std::string origin_;
};

class Udmabuf;

// A buffer a source draws into itself: a sealed memfd, its writable mapping, and the Buffer
// outputs see (with a udmabuf dma-buf of the whole memfd when a device is given).
struct OwnedBuffer {
    Memfd memfd;
    Mapping pixels;
    std::shared_ptr<const Buffer> buffer;

    // The memfd is layout.offset + stride × height bytes rounded up to whole pages. An Error
    // when the layout is invalid or the memfd, mapping or dma-buf cannot be made.
    static Result<OwnedBuffer> create(const std::string& name, const Layout& layout,
                                      const Udmabuf* udmabuf, std::string origin);
};

// One update from a source: which buffer now holds the picture and what changed in it
// since the source's previous frame.
struct Frame {
    uint64_t seq = 0; // 1, 2, … per source; with several sources, per run (the presenter's)
    std::shared_ptr<const Buffer> buffer;
    Region damage;            // buffer pixel coordinates, clipped to the layout
    uint64_t produced_ns = 0; // when the source saw the update (clock.h)
    // Bytes udmaview copied to make this frame on the source side (e.g. QEMU's Update
    // pixels into our surface); outputs add their own copies. Counted, never hidden.
    uint64_t source_bytes_copied = 0;
    uint32_t source = 0; // which source (0, 1, … in --source order), set by the presenter
};

} // namespace udmaview
