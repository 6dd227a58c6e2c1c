// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "udmaview/error.h"
#include "udmaview/unique_fd.h"

namespace udmaview::qemu {

// Where the display is, asked again for each attach when it is not a fixed address (libvirt:
// the domain's QEMU and its bus change with every start). Called on the source's thread.
struct DisplayTarget {
    UniqueFd p2p;            // valid: a peer-to-peer D-Bus connection, QEMU the server
    std::string bus_address; // else: the bus QEMU's org.qemu is on
};
class DisplayResolver {
public:
    virtual ~DisplayResolver() = default;
    // errnum ESRCH: nothing to attach to now (e.g. the domain is not running): wait for
    // QemuSource::reattach(). Any other error ends the source.
    virtual Result<DisplayTarget> resolve() = 0;
    // For messages: "libvirt domain NAME".
    virtual std::string describe() const = 0;
};

struct QemuOptions {
    enum class Mode { Bus, P2p };
    Mode mode = Mode::Bus;
    std::string address;    // bus: D-Bus address ("" = session bus); p2p: QMP socket path
    uint32_t console = 0;   // console ID (/org/qemu/Display1/Console_N)
    bool reconnect = false; // QEMU gone → wait for it again instead of ending
    bool verbose = false;
    bool use_udmabuf = true;
    bool follow_size = true; // --guest-size follow: tell QEMU the size the output wants
    uint32_t retry_ms = 250; // while waiting for QEMU
    // Set: attach where it says (mode and address unused) and retry only on reattach().
    std::shared_ptr<DisplayResolver> resolver;
};

} // namespace udmaview::qemu
