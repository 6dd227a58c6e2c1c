// SPDX-License-Identifier: MIT
#include "udmaview/memfd.h"

#include <cerrno>
#include <fcntl.h>
#include <limits>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace udmaview {

namespace {

unsigned to_raw_seals(unsigned seals) {
    unsigned raw = 0;
    if (seals & Memfd::SealShrink)
        raw |= F_SEAL_SHRINK;
    if (seals & Memfd::SealGrow)
        raw |= F_SEAL_GROW;
    if (seals & Memfd::SealSeal)
        raw |= F_SEAL_SEAL;
    return raw;
}

} // namespace

Result<Memfd> Memfd::create(const std::string& name, uint64_t size, unsigned seals) {
    const std::string what = "memfd '" + name + "'";
    if (size == 0)
        return Error{what + ": size is 0: give the buffer a size of at least one byte", EINVAL};
    if (size > uint64_t(std::numeric_limits<off_t>::max()))
        return Error{what + ": size " + std::to_string(size) + " is too large", EFBIG};
    UniqueFd fd(::memfd_create(name.c_str(), MFD_CLOEXEC | MFD_ALLOW_SEALING));
    if (!fd)
        return Error::from_errno(errno, what + ": memfd_create failed");
    if (::ftruncate(fd.get(), off_t(size)) < 0)
        return Error::from_errno(errno,
                                 what + ": resizing to " + std::to_string(size) + " bytes failed",
                                 "is /dev/shm or the memory cgroup limit too small?");
    Memfd memfd(std::move(fd), size, name);
    if (seals) {
        if (Status s = memfd.add_seals(seals); !s)
            return s.error();
    }
    return memfd;
}

Result<Memfd> Memfd::adopt(UniqueFd fd, const std::string& name) {
    struct stat st {};
    if (!fd || ::fstat(fd.get(), &st) < 0)
        return Error::from_errno(fd ? errno : EBADF, "memfd '" + name + "': fstat failed");
    if (!S_ISREG(st.st_mode))
        return Error{"memfd '" + name + "': not a regular file (a memfd or shm file is needed)",
                     EINVAL};
    if (st.st_size <= 0)
        return Error{"memfd '" + name + "': file is empty", EINVAL};
    return Memfd(std::move(fd), uint64_t(st.st_size), name);
}

Status Memfd::add_seals(unsigned seals) {
    if (::fcntl(fd_.get(), F_ADD_SEALS, to_raw_seals(seals)) < 0)
        return Error::from_errno(errno, "memfd '" + name_ + "': adding seals failed",
                                 errno == EPERM ? "the file does not allow sealing or is "
                                                  "already sealed with F_SEAL_SEAL"
                                                : "");
    return {};
}

Result<unsigned> Memfd::raw_seals(int fd) {
    int seals = ::fcntl(fd, F_GET_SEALS);
    if (seals < 0)
        return Error::from_errno(errno, "reading seals of fd " + std::to_string(fd) + " failed",
                                 errno == EINVAL ? "it is not a memfd (shmem) file" : "");
    return unsigned(seals);
}

Result<UniqueFd> Memfd::dup_fd() const {
    UniqueFd copy = fd_.dup();
    if (!copy)
        return Error::from_errno(errno, "memfd '" + name_ + "': dup failed");
    return copy;
}

Result<Mapping> Memfd::map_range(uint64_t offset, uint64_t size, int prot) const {
    if (size == 0 || offset > size_ || size > size_ - offset)
        return Error{"memfd '" + name_ + "': range [" + std::to_string(offset) + ", +" +
                         std::to_string(size) + ") is outside its " + std::to_string(size_) +
                         " bytes",
                     EINVAL};
    const std::string what = "memfd '" + name_ + "'";
    return Mapping::map(fd_.get(), offset, size_t(size), prot, what.c_str());
}

} // namespace udmaview
