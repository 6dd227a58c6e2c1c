// SPDX-License-Identifier: MIT
#pragma once

#include <string>

#include "udmaview/error.h"
#include "udmaview/unique_fd.h"

namespace udmaview::qemu {

// Peer-to-peer attach to a QEMU started with -display dbus,p2p=yes: connects to its QMP
// socket, makes a socketpair, passes one end with `getfd` (SCM_RIGHTS) and turns it into a
// D-Bus display client with `add_client {"protocol": "@dbus-display"}`. Returns our end, on
// which QEMU is the authenticating server. Every read and write is bounded by timeout_ms.
// errnum ECONNREFUSED/ENOENT when nobody listens at qmp_path (yet).
Result<UniqueFd> qmp_add_dbus_client(const std::string& qmp_path, int timeout_ms);

} // namespace udmaview::qemu
