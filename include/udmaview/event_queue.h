// SPDX-License-Identifier: MIT
#pragma once

#include <cerrno>
#include <cstdint>
#include <mutex>
#include <string>
#include <sys/eventfd.h>
#include <unistd.h>
#include <utility>
#include <vector>

#include "udmaview/error.h"
#include "udmaview/unique_fd.h"

namespace udmaview {

// Items handed from a source's own thread to the presenter's poll loop: post() queues one and
// makes poll_fd() readable; drain(), on the polling thread, takes everything queued so far in
// the order it was posted. One eventfd counts the wake-ups, so any number of posts between two
// polls cost the presenter one wake-up.
template <class T> class EventQueue {
public:
    // owner names the queue's user in the error ("demo", "qemu").
    Status open(const std::string& owner) {
        fd_ = UniqueFd(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
        if (!fd_)
            return Error::from_errno(errno, owner + ": eventfd failed");
        return {};
    }

    int poll_fd() const { return fd_.get(); }

    // Any thread.
    void post(T item) {
        {
            std::lock_guard lock(mutex_);
            items_.push_back(std::move(item));
        }
        const uint64_t one = 1;
        // Only fails when the counter would overflow; the reader is woken up already then.
        [[maybe_unused]] ssize_t ignored = ::write(fd_.get(), &one, sizeof one);
    }

    // The polling thread. The eventfd is reset before the items are taken, so a post racing
    // with it leaves the fd readable and is picked up by the next drain() (which may then
    // find nothing: its item was taken by this one).
    std::vector<T> drain() {
        uint64_t count;
        [[maybe_unused]] ssize_t ignored = ::read(fd_.get(), &count, sizeof count);
        std::vector<T> items;
        {
            std::lock_guard lock(mutex_);
            items.swap(items_);
        }
        return items;
    }

private:
    UniqueFd fd_;
    std::mutex mutex_;
    std::vector<T> items_;
};

} // namespace udmaview
