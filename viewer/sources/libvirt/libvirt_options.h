// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <string>

namespace udmaview::virt {

struct LibvirtOptions {
    std::string domain;     // name or UUID
    std::string uri;        // "" = default_uri()
    uint32_t console = 0;   // QEMU console ID
    bool reconnect = false; // follow the domain's restarts, wait while it is shut off
    bool verbose = false;
    bool use_udmabuf = true;
    bool follow_size = true; // --guest-size follow: pass the output's size on to QEMU
};

} // namespace udmaview::virt
