// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "udmaview/dma_buf.h"
#include "udmaview/error.h"
#include "udmaview/unique_fd.h"

namespace udmaview {

// One page-aligned piece of a memfd.
struct MemfdRange {
    int memfd = -1; // not owned
    uint64_t offset = 0;
    uint64_t size = 0;
};

// Limits of the udmabuf driver (module parameters list_limit and size_limit_mb).
struct UdmabufLimits {
    uint32_t list_limit = 1024;
    uint64_t size_limit_mb = 64;

    // Reads /sys/module/udmabuf/parameters; mainline defaults when not readable.
    static UdmabufLimits
    read_from_sysfs(const std::string& sysfs_dir = "/sys/module/udmabuf/parameters");
};

// Client of /dev/udmabuf (mainline UAPI, linux/udmabuf.h): turns memfd pages into a dma-buf.
// Every request is validated before the ioctl, and the kernel's errno is translated after it,
// so the message names the range and the cause.
class Udmabuf {
public:
    static constexpr const char* default_path = "/dev/udmabuf";

    static Result<Udmabuf> open(const std::string& path = default_path);

    Result<DmaBuf> create(const MemfdRange& range) const;
    Result<DmaBuf> create_list(std::span<const MemfdRange> ranges) const;

    // The checks create()/create_list() run before the ioctl, usable without a device.
    static Status validate(std::span<const MemfdRange> ranges, const UdmabufLimits& limits);

    // The message for an errno the ioctl returned, naming the likely cause.
    static Error explain_ioctl_error(int err, std::span<const MemfdRange> ranges);
    // The message for a failed open() of the device.
    static Error explain_open_error(int err, const std::string& path);

    const UdmabufLimits& limits() const { return limits_; }
    const std::string& path() const { return path_; }

private:
    Udmabuf(UniqueFd fd, std::string path, UdmabufLimits limits)
        : fd_(std::move(fd))
        , path_(std::move(path))
        , limits_(limits) {}

    UniqueFd fd_;
    std::string path_;
    UdmabufLimits limits_;
};

} // namespace udmaview
