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
// exporters that blit (copy drivers) see a consistent view.
class DmaBufSync {
public:
    enum Access : unsigned { Read = 1, Write = 2, ReadWrite = 3 };

    static Result<DmaBufSync> begin(const DmaBuf& buf, Access access);
    DmaBufSync(DmaBufSync&& other) noexcept
        : fd_(other.fd_)
        , flags_(other.flags_) {
        other.fd_ = -1;
    }
    DmaBufSync& operator=(DmaBufSync&&) = delete;
    DmaBufSync(const DmaBufSync&) = delete;
    ~DmaBufSync();

private:
    DmaBufSync(int fd, uint64_t flags)
        : fd_(fd)
        , flags_(flags) {}
    int fd_ = -1; // not owned
    uint64_t flags_ = 0;
};

} // namespace udmaview
