// SPDX-License-Identifier: MIT
#include "udmaview/unique_fd.h"

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

namespace udmaview {

UniqueFd& UniqueFd::operator=(UniqueFd&& other) noexcept {
    if (this != &other)
        reset(other.release());
    return *this;
}

void UniqueFd::reset(int fd) {
    if (fd_ >= 0 && fd_ != fd) {
        // close() must not be retried on EINTR on Linux: the fd is gone either way.
        int saved = errno;
        ::close(fd_);
        errno = saved;
    }
    fd_ = fd;
}

UniqueFd UniqueFd::dup() const {
    if (fd_ < 0) {
        errno = EBADF;
        return UniqueFd();
    }
    return UniqueFd(::fcntl(fd_, F_DUPFD_CLOEXEC, 0));
}

} // namespace udmaview
