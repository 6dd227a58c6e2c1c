// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <string>

#include "udmaview/error.h"
#include "udmaview/mapping.h"
#include "udmaview/unique_fd.h"

namespace udmaview {

// A shmem file from memfd_create(): the memory a guest framebuffer lives in.
class Memfd {
public:
    enum Seal : unsigned {
        SealShrink = 1u << 0, // required by udmabuf: pages cannot vanish under a dma-buf
        SealGrow = 1u << 1,
        SealSeal = 1u << 2, // no more seals may be added
    };

    // Creates a memfd of size bytes (> 0) that allows sealing, then applies seals.
    static Result<Memfd> create(const std::string& name, uint64_t size,
                                unsigned seals = SealShrink);
    // Adopts an existing fd (e.g. /proc/PID/fd/N of QEMU); size read with fstat.
    static Result<Memfd> adopt(UniqueFd fd, const std::string& name);

    Status add_seals(unsigned seals);
    // F_GET_SEALS of the fd as raw F_SEAL_* bits; an Error when the fd is not sealable.
    static Result<unsigned> raw_seals(int fd);

    Result<Mapping> map(int prot) const { return map_range(0, size_, prot); }
    Result<Mapping> map_range(uint64_t offset, uint64_t size, int prot) const;

    int fd() const { return fd_.get(); }
    // A second owner of the same file (for Backing, which outlives this object).
    Result<UniqueFd> dup_fd() const;
    uint64_t size() const { return size_; }
    const std::string& name() const { return name_; }

private:
    Memfd(UniqueFd fd, uint64_t size, std::string name)
        : fd_(std::move(fd))
        , size_(size)
        , name_(std::move(name)) {}

    UniqueFd fd_;
    uint64_t size_ = 0;
    std::string name_;
};

} // namespace udmaview
