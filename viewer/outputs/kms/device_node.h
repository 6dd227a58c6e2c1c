// SPDX-License-Identifier: MIT
// An open device node (DRM card, evdev) and how it was opened: directly with open(2), or
// handed out by a seat manager, which must be told when it is closed again.
#pragma once

#include <functional>
#include <string>
#include <utility>

#include "udmaview/error.h"
#include "udmaview/unique_fd.h"

namespace udmaview::kms {

class DeviceNode {
public:
    DeviceNode() = default;
    // release: called once before the fd closes (the seat's close_device); may be empty.
    DeviceNode(UniqueFd fd, std::function<void()> release)
        : fd_(std::move(fd))
        , release_(std::move(release)) {}
    DeviceNode(DeviceNode&& other) noexcept
        : fd_(std::move(other.fd_))
        , release_(std::exchange(other.release_, nullptr)) {}
    DeviceNode& operator=(DeviceNode&& other) noexcept {
        if (this != &other) {
            reset();
            fd_ = std::move(other.fd_);
            release_ = std::exchange(other.release_, nullptr);
        }
        return *this;
    }
    DeviceNode(const DeviceNode&) = delete;
    DeviceNode& operator=(const DeviceNode&) = delete;
    ~DeviceNode() { reset(); }

    int get() const { return fd_.get(); }
    explicit operator bool() const { return bool(fd_); }
    void reset() {
        if (release_)
            std::exchange(release_, nullptr)();
        fd_.reset();
    }

private:
    UniqueFd fd_;
    std::function<void()> release_;
};

// Opens a device node for reading and writing (close-on-exec); errors name the path.
using DeviceOpener = std::function<Result<DeviceNode>(const std::string& path)>;

} // namespace udmaview::kms
