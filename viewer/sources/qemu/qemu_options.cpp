// SPDX-License-Identifier: MIT
#include "sources/qemu/qemu_options.h"

#include <cerrno>

namespace udmaview::qemu {

Result<QemuOptions> parse_qemu_source(const std::string& spec) {
    QemuOptions o;
    if (spec == "qemu")
        return o;
    if (spec.rfind("qemu:", 0) == 0) {
        o.address = spec.substr(5);
        if (o.address.empty())
            return Error{"--source qemu:ADDRESS: the D-Bus address is empty", EINVAL};
        return o;
    }
    if (spec.rfind("qemu-p2p:", 0) == 0) {
        o.mode = QemuOptions::Mode::P2p;
        o.address = spec.substr(9);
        if (o.address.empty())
            return Error{"--source qemu-p2p:QMP_SOCKET: the QMP socket path is empty", EINVAL};
        return o;
    }
    return Error{"--source " + spec + ": expected qemu, qemu:ADDRESS or qemu-p2p:QMP_SOCKET",
                 EINVAL};
}

} // namespace udmaview::qemu
