// SPDX-License-Identifier: MIT
#include "udmaview/dma_buf.h"

#include <cerrno>
#include <fcntl.h>
#include <linux/dma-buf.h>
#include <string>
#include <sys/ioctl.h>
#include <unistd.h>

namespace udmaview {

Result<DmaBuf> DmaBuf::adopt(UniqueFd fd) {
    if (!fd)
        return Error{"dma-buf: invalid file descriptor", EBADF};
    off_t end = ::lseek(fd.get(), 0, SEEK_END);
    if (end < 0)
        return Error::from_errno(
            errno, "dma-buf fd " + std::to_string(fd.get()) + ": cannot read its size (lseek)",
            "is it really a dma-buf?");
    ::lseek(fd.get(), 0, SEEK_SET);
    if (end == 0)
        return Error{"dma-buf fd " + std::to_string(fd.get()) + ": size is 0", EINVAL};
    return DmaBuf(std::move(fd), uint64_t(end));
}

Result<Mapping> DmaBuf::map(int prot) const {
    if (!valid())
        return Error{"dma-buf: cannot map an empty DmaBuf", EBADF};
    const std::string what =
        "dma-buf fd " + std::to_string(fd()) + " (" + std::to_string(size_) + " bytes)";
    return Mapping::map(fd(), 0, size_t(size_), prot, what.c_str());
}

namespace {

int sync_ioctl(int fd, uint64_t flags) {
    dma_buf_sync sync{flags};
    int ret;
    do
        ret = ::ioctl(fd, DMA_BUF_IOCTL_SYNC, &sync);
    while (ret < 0 && (errno == EINTR || errno == EAGAIN));
    return ret;
}

uint64_t access_flags(DmaBufSync::Access access) {
    uint64_t flags = 0;
    if (access & DmaBufSync::Read)
        flags |= DMA_BUF_SYNC_READ;
    if (access & DmaBufSync::Write)
        flags |= DMA_BUF_SYNC_WRITE;
    return flags;
}

} // namespace

Result<DmaBufSync> DmaBufSync::begin(const DmaBuf& buf, Access access) {
    const uint64_t flags = access_flags(access);
    UniqueFd own(::fcntl(buf.fd(), F_DUPFD_CLOEXEC, 0));
    if (!own.valid())
        return Error::from_errno(errno, "dma-buf fd " + std::to_string(buf.fd()) +
                                            ": cannot duplicate it for DMA_BUF_IOCTL_SYNC");
    if (sync_ioctl(own.get(), DMA_BUF_SYNC_START | flags) < 0)
        return Error::from_errno(errno, "dma-buf fd " + std::to_string(buf.fd()) +
                                            ": DMA_BUF_IOCTL_SYNC start failed");
    return DmaBufSync(std::move(own), flags);
}

DmaBufSync::~DmaBufSync() {
    if (fd_.valid())
        sync_ioctl(fd_.get(), DMA_BUF_SYNC_END | flags_);
}

} // namespace udmaview
