// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <string>

namespace udmaview::qemu {

struct QemuOptions {
    enum class Mode { Bus, P2p };
    Mode mode = Mode::Bus;
    std::string address;    // bus: D-Bus address ("" = session bus); p2p: QMP socket path
    uint32_t console = 0;   // console ID (/org/qemu/Display1/Console_N)
    bool reconnect = false; // QEMU gone → wait for it again instead of ending
    bool verbose = false;
    bool use_udmabuf = true;
    uint32_t retry_ms = 250; // while waiting for QEMU
};

} // namespace udmaview::qemu
