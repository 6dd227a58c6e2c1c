// SPDX-License-Identifier: MIT
#include "udmaview/udmabuf.h"

#include <cerrno>
#include <fcntl.h>
#include <fstream>
#include <limits>
#include <linux/udmabuf.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <vector>

#include "udmaview/mapping.h"
#include "udmaview/memfd.h"

namespace udmaview {

namespace {

constexpr const char* missing_device_hint =
    "load the module with `sudo modprobe udmabuf`, or build and load ours from kmod/ "
    "(Debian 12's kernel has CONFIG_UDMABUF off; see kmod/README.md)";

std::string describe(const MemfdRange& r, size_t index) {
    return "range " + std::to_string(index) + " (memfd fd " + std::to_string(r.memfd) +
           ", offset " + std::to_string(r.offset) + ", size " + std::to_string(r.size) + ")";
}

template <typename T> bool read_number(const std::string& path, T& out) {
    std::ifstream in(path);
    T value{};
    if (!(in >> value))
        return false;
    out = value;
    return true;
}

Status validate_range(const MemfdRange& r, size_t index) {
    const std::string what = "udmabuf: " + describe(r, index);
    const uint64_t page = page_size();
    if (r.size == 0)
        return Error{what + ": size is 0; a range must cover at least one page", EINVAL};
    if (r.offset % page || r.size % page)
        return Error{what + ": offset and size must be multiples of the page size (" +
                         std::to_string(page) + "); round the buffer up to whole pages",
                     EINVAL};
    if (r.offset > std::numeric_limits<uint64_t>::max() - r.size)
        return Error{what + ": offset + size overflows", EINVAL};
    struct stat st {};
    if (r.memfd < 0 || ::fstat(r.memfd, &st) < 0)
        return Error{what + ": not an open file descriptor", EBADF};
    if (!S_ISREG(st.st_mode))
        return Error{what + ": not a memfd (udmabuf needs shmem memory from memfd_create)", EINVAL};
    Result<unsigned> seals = Memfd::raw_seals(r.memfd);
    if (!seals)
        return Error{what + ": not a memfd with sealing (create it with memfd_create(..., "
                            "MFD_ALLOW_SEALING))",
                     EINVAL};
    if (!(*seals & F_SEAL_SHRINK) && (*seals & F_SEAL_SEAL))
        return Error{what + ": not a memfd that allows sealing (a plain tmpfs/shm file is "
                            "sealed against seals); create it with memfd_create(..., "
                            "MFD_ALLOW_SEALING) and add F_SEAL_SHRINK",
                     EINVAL};
    if (!(*seals & F_SEAL_SHRINK))
        return Error{what + ": memfd lacks F_SEAL_SHRINK; seal it (fcntl F_ADD_SEALS) so its "
                            "pages cannot be truncated under the dma-buf",
                     EINVAL};
    if (*seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE))
        return Error{what + ": memfd is sealed against writes (F_SEAL_WRITE/FUTURE_WRITE); "
                            "udmabuf needs writable pages",
                     EINVAL};
    if (r.offset + r.size > uint64_t(st.st_size))
        return Error{what + ": range ends past the end of the memfd (" +
                         std::to_string(st.st_size) + " bytes)",
                     EINVAL};
    return {};
}

} // namespace

UdmabufLimits UdmabufLimits::read_from_sysfs(const std::string& dir) {
    UdmabufLimits limits;
    read_number(dir + "/list_limit", limits.list_limit);
    read_number(dir + "/size_limit_mb", limits.size_limit_mb);
    return limits;
}

Error Udmabuf::explain_open_error(int err, const std::string& path) {
    if (err == ENOENT)
        return Error{"udmabuf: " + path + " not found: " + missing_device_hint, err};
    if (err == EACCES || err == EPERM)
        return Error::from_errno(err, "udmabuf: cannot open " + path,
                                 "run as root or give your user access to the device (udev "
                                 "rule or group)");
    return Error::from_errno(err, "udmabuf: cannot open " + path);
}

Result<Udmabuf> Udmabuf::open(const std::string& path) {
    UniqueFd fd(::open(path.c_str(), O_RDWR | O_CLOEXEC));
    if (!fd)
        return explain_open_error(errno, path);
    return Udmabuf(std::move(fd), path, UdmabufLimits::read_from_sysfs());
}

Status Udmabuf::validate(std::span<const MemfdRange> ranges, const UdmabufLimits& limits) {
    if (ranges.empty())
        return Error{"udmabuf: no memfd ranges given", EINVAL};
    if (ranges.size() > limits.list_limit)
        return Error{"udmabuf: " + std::to_string(ranges.size()) +
                         " ranges exceed the driver's list_limit of " +
                         std::to_string(limits.list_limit) +
                         "; raise the module parameter list_limit or use fewer, larger ranges",
                     EINVAL};
    uint64_t total = 0;
    for (size_t i = 0; i < ranges.size(); ++i) {
        if (Status s = validate_range(ranges[i], i); !s)
            return s;
        if (ranges[i].size > std::numeric_limits<uint64_t>::max() - total)
            return Error{"udmabuf: the ranges' sizes add up past 2^64", EINVAL};
        total += ranges[i].size;
    }
    const uint64_t limit = limits.size_limit_mb << 20;
    if (total > limit)
        return Error{"udmabuf: " + std::to_string(total) +
                         " bytes exceed the driver's "
                         "size_limit_mb of " +
                         std::to_string(limits.size_limit_mb) +
                         " MiB; raise the module parameter size_limit_mb",
                     E2BIG};
    return {};
}

Error Udmabuf::explain_ioctl_error(int err, std::span<const MemfdRange> ranges) {
    const std::string what =
        "udmabuf: creating a dma-buf from " + std::to_string(ranges.size()) + " range(s) failed";
    switch (err) {
    case EMFILE:
    case ENFILE:
        return Error::from_errno(err, what, "too many open files; raise `ulimit -n`");
    case ENOMEM:
        return Error::from_errno(err, what, "the kernel could not pin the pages");
    case E2BIG:
        return Error::from_errno(err, what, "over the driver's size_limit_mb");
    case ENOTTY:
        return Error::from_errno(err, what, "the device does not speak the udmabuf UAPI");
    case EINVAL:
        return Error::from_errno(err, what,
                                 "the driver rejected the memfd, its seals or the range");
    default:
        return Error::from_errno(err, what);
    }
}

Result<DmaBuf> Udmabuf::create(const MemfdRange& range) const {
    const std::span<const MemfdRange> one(&range, 1);
    if (Status s = validate(one, limits_); !s)
        return s.error();
    udmabuf_create req{};
    req.memfd = uint32_t(range.memfd);
    req.flags = UDMABUF_FLAGS_CLOEXEC;
    req.offset = range.offset;
    req.size = range.size;
    int fd = ::ioctl(fd_.get(), UDMABUF_CREATE, &req);
    if (fd < 0)
        return explain_ioctl_error(errno, one);
    return DmaBuf(UniqueFd(fd), range.size);
}

Result<DmaBuf> Udmabuf::create_list(std::span<const MemfdRange> ranges) const {
    if (Status s = validate(ranges, limits_); !s)
        return s.error();
    std::vector<uint8_t> storage(sizeof(udmabuf_create_list) +
                                 ranges.size() * sizeof(udmabuf_create_item));
    auto* req = reinterpret_cast<udmabuf_create_list*>(storage.data());
    req->flags = UDMABUF_FLAGS_CLOEXEC;
    req->count = uint32_t(ranges.size());
    uint64_t total = 0;
    for (size_t i = 0; i < ranges.size(); ++i) {
        req->list[i].memfd = uint32_t(ranges[i].memfd);
        req->list[i].offset = ranges[i].offset;
        req->list[i].size = ranges[i].size;
        total += ranges[i].size;
    }
    int fd = ::ioctl(fd_.get(), UDMABUF_CREATE_LIST, req);
    if (fd < 0)
        return explain_ioctl_error(errno, ranges);
    return DmaBuf(UniqueFd(fd), total);
}

} // namespace udmaview
