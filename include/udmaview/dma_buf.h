// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>

#include "udmaview/error.h"
#include "udmaview/mapping.h"
#include "udmaview/unique_fd.h"

namespace udmaview {

// A dma-buf file descriptor and its size in bytes.
class DmaBuf {
public:
    DmaBuf() = default;
    DmaBuf(UniqueFd fd, uint64_t size)
        : fd_(std::move(fd))
        , size_(size) {}

    // Adopts a dma-buf received from elsewhere (e.g. QEMU); size from lseek(SEEK_END).
    static Result<DmaBuf> adopt(UniqueFd fd);

    int fd() const { return fd_.get(); }
    uint64_t size() const { return size_; }
    bool valid() const { return fd_.valid(); }

    Result<Mapping> map(int prot) const;

private:
    UniqueFd fd_;
    uint64_t size_ = 0;
};

// Brackets CPU access to a mapped dma-buf with DMA_BUF_IOCTL_SYNC START/END, so caches and
// exporters that blit (copy drivers) see a consistent view. Like libcamera's DmaSyncer it
// holds its own reference to the dma-buf (a dup of the fd), so the END always reaches the
// buffer it started on, even when the DmaBuf it came from is closed first.
class DmaBufSync {
public:
    enum Access : unsigned { Read = 1, Write = 2, ReadWrite = 3 };

    static Result<DmaBufSync> begin(const DmaBuf& buf, Access access);
    DmaBufSync(DmaBufSync&& other) noexcept = default;
    DmaBufSync& operator=(DmaBufSync&&) = delete;
    DmaBufSync(const DmaBufSync&) = delete;
    ~DmaBufSync();

private:
    DmaBufSync(UniqueFd fd, uint64_t flags)
        : fd_(std::move(fd))
        , flags_(flags) {}
    UniqueFd fd_; // a dup: the sync's own reference to the dma-buf
    uint64_t flags_ = 0;
};

} // namespace udmaview
