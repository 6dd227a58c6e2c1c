// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "udmaview/error.h"

namespace udmaview {

// Owns one mmap()ed range; unmaps it exactly once. The usable bytes may start inside the
// first page (mapping an unaligned file range maps the enclosing pages). Mappings of a file
// that may shrink under us (regular, no F_SEAL_SHRINK) are guarded by the SigbusGuard: a
// truncation turns them into zero pages instead of killing the process.
class Mapping {
public:
    Mapping() = default;
    Mapping(void* base, size_t map_size, size_t data_offset, size_t data_size)
        : base_(base)
        , map_size_(map_size)
        , data_offset_(data_offset)
        , data_size_(data_size) {}
    Mapping(Mapping&& other) noexcept;
    Mapping& operator=(Mapping&& other) noexcept;
    Mapping(const Mapping&) = delete;
    Mapping& operator=(const Mapping&) = delete;
    ~Mapping() { reset(); }

    // Maps [offset, offset + size) of fd; offset need not be page aligned.
    static Result<Mapping> map(int fd, uint64_t offset, size_t size, int prot, const char* what);
    // Reserves size bytes of address space (PROT_NONE) to place file pages into with
    // map_fixed(); used to see a scattered list of memfd ranges as one linear buffer.
    static Result<Mapping> reserve(size_t size);
    Status map_fixed(size_t at, int fd, uint64_t offset, size_t size, int prot, const char* what);

    uint8_t* data() const { return static_cast<uint8_t*>(base_) + data_offset_; }
    size_t size() const { return data_size_; }
    std::span<uint8_t> bytes() const { return {data(), data_size_}; }
    bool valid() const { return base_ != nullptr; }
    void reset();

private:
    void* base_ = nullptr;
    size_t map_size_ = 0;
    size_t data_offset_ = 0;
    size_t data_size_ = 0;
    bool guarded_ = false; // some of it is known to the SigbusGuard
};

size_t page_size();
inline uint64_t align_up(uint64_t v, uint64_t a) {
    return (v + a - 1) / a * a;
}
inline uint64_t align_down(uint64_t v, uint64_t a) {
    return v / a * a;
}

} // namespace udmaview
