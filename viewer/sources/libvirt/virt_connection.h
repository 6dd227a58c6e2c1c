// SPDX-License-Identifier: MIT
#pragma once

#include <string>

#include "sources/libvirt/virt_ptr.h"
#include "udmaview/error.h"

namespace udmaview::virt {

// What --connect means when not given: as virsh, LIBVIRT_DEFAULT_URI, else qemu:///system.
std::string default_uri();

// libvirt's version numbers (major * 1000000 + minor * 1000 + micro) against 8.4.0, the first
// with <graphics type='dbus'>: the library we run with, and the daemon behind uri.
Status check_library_version(unsigned long version);
Status check_daemon_version(unsigned long version, const std::string& uri);

// Opens uri read-write (the display needs it), with libvirt's event loop running first so that
// domain events reach us; checks that the daemon knows <graphics type='dbus'> (libvirt >= 8.4).
// The errors name the fix: the group or polkit rule when access is denied, the daemon when
// nothing listens.
Result<ConnectPtr> open_connection(const std::string& uri);

} // namespace udmaview::virt
