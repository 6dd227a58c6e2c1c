// SPDX-License-Identifier: MIT
#include "udmaview/mapping.h"

#include "udmaview/sigbus_guard.h"

#include <cerrno>
#include <limits>
#include <string>
#include <sys/mman.h>
#include <unistd.h>

namespace udmaview {

size_t page_size() {
    static const size_t size = size_t(sysconf(_SC_PAGESIZE));
    return size;
}

Mapping::Mapping(Mapping&& other) noexcept
    : base_(other.base_)
    , map_size_(other.map_size_)
    , data_offset_(other.data_offset_)
    , data_size_(other.data_size_)
    , guarded_(other.guarded_) {
    other.base_ = nullptr;
    other.guarded_ = false;
    other.map_size_ = other.data_offset_ = other.data_size_ = 0;
}

Mapping& Mapping::operator=(Mapping&& other) noexcept {
    if (this != &other) {
        reset();
        std::swap(base_, other.base_);
        std::swap(map_size_, other.map_size_);
        std::swap(data_offset_, other.data_offset_);
        std::swap(data_size_, other.data_size_);
        std::swap(guarded_, other.guarded_);
    }
    return *this;
}

void Mapping::reset() {
    if (guarded_)
        SigbusGuard::unguard(base_, map_size_);
    if (base_)
        ::munmap(base_, map_size_);
    base_ = nullptr;
    guarded_ = false;
    map_size_ = data_offset_ = data_size_ = 0;
}

Result<Mapping> Mapping::map(int fd, uint64_t offset, size_t size, int prot, const char* what) {
    if (size == 0)
        return Error{std::string(what) + ": cannot map 0 bytes", EINVAL};
    if (offset > std::numeric_limits<uint64_t>::max() - size)
        return Error{std::string(what) + ": offset + size overflows", EOVERFLOW};
    const uint64_t start = align_down(offset, page_size());
    const size_t lead = size_t(offset - start);
    const size_t length = size_t(align_up(lead + size, page_size()));
    void* base = ::mmap(nullptr, length, prot, MAP_SHARED, fd, off_t(start));
    if (base == MAP_FAILED)
        return Error::from_errno(errno, std::string(what) + ": mmap of " + std::to_string(size) +
                                            " bytes at offset " + std::to_string(offset) +
                                            " failed");
    Mapping mapping(base, length, lead, size);
    if (SigbusGuard::may_shrink(fd))
        mapping.guarded_ = SigbusGuard::guard(base, length, prot, fd);
    return mapping;
}

Result<Mapping> Mapping::reserve(size_t size) {
    if (size == 0)
        return Error{"address space reservation of 0 bytes", EINVAL};
    const size_t length = size_t(align_up(size, page_size()));
    void* base = ::mmap(nullptr, length, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (base == MAP_FAILED)
        return Error::from_errno(errno, "reserving " + std::to_string(size) +
                                            " bytes of address space failed");
    return Mapping(base, length, 0, size);
}

Status Mapping::map_fixed(size_t at, int fd, uint64_t offset, size_t size, int prot,
                          const char* what) {
    if (at % page_size() || offset % page_size() || at + size > map_size_ || size == 0)
        return Error{std::string(what) + ": range is not page aligned or outside the reservation",
                     EINVAL};
    void* addr = static_cast<uint8_t*>(base_) + at;
    void* got = ::mmap(addr, size, prot, MAP_SHARED | MAP_FIXED, fd, off_t(offset));
    if (got == MAP_FAILED)
        return Error::from_errno(errno, std::string(what) + ": mmap at fixed address failed");
    if (SigbusGuard::may_shrink(fd) && SigbusGuard::guard(addr, size, prot, fd))
        guarded_ = true;
    return {};
}

} // namespace udmaview
