// SPDX-License-Identifier: MIT
#include "sources/libvirt/virt_connection.h"

#include <cerrno>
#include <cstdlib>

#include "sources/libvirt/event_loop.h"

namespace udmaview::virt {

namespace {

// libvirt added <graphics type='dbus'> in 8.4.0.
constexpr unsigned long dbus_graphics_version = 8004000;

std::string version_text(unsigned long v) {
    return std::to_string(v / 1000000) + "." + std::to_string(v / 1000 % 1000) + "." +
           std::to_string(v % 1000);
}

Error open_error(const std::string& uri) {
    const virError* err = virGetLastError();
    const std::string what = last_error();
    const bool denied =
        (err && (err->code == VIR_ERR_AUTH_FAILED || err->code == VIR_ERR_AUTH_CANCELLED ||
                 err->code == VIR_ERR_AUTH_UNAVAILABLE)) ||
        what.find("Permission denied") != std::string::npos ||
        what.find("authentication") != std::string::npos;
    if (denied)
        return Error{"libvirt: --connect " + uri + ": access denied (" + what +
                         "); join the libvirt group (sudo adduser $USER libvirt, then log in "
                         "again) or add a polkit rule granting org.libvirt.unix.manage, or use "
                         "--connect qemu:///session for your own domains",
                     EACCES};
    const bool absent = what.find("No such file") != std::string::npos ||
                        what.find("Connection refused") != std::string::npos;
    if (absent)
        return Error{"libvirt: --connect " + uri + ": no daemon answers (" + what +
                         "); start it (systemctl start libvirtd) or pass the right --connect URI",
                     ECONNREFUSED};
    return Error{"libvirt: --connect " + uri + ": " + what, EIO};
}

} // namespace

Status check_library_version(unsigned long version) {
    if (version < dbus_graphics_version)
        return Error{"libvirt: the libvirt library is " + version_text(version) +
                         "; <graphics type='dbus'> needs 8.4.0 or newer (Debian 12 ships 9.0): "
                         "upgrade libvirt0 and rebuild",
                     ENOTSUP};
    return {};
}

Status check_daemon_version(unsigned long version, const std::string& uri) {
    if (version < dbus_graphics_version)
        return Error{"libvirt: the daemon at " + uri + " is libvirt " + version_text(version) +
                         "; <graphics type='dbus'> needs 8.4.0 or newer: upgrade libvirt there",
                     ENOTSUP};
    return {};
}

std::string default_uri() {
    const char* env = std::getenv("LIBVIRT_DEFAULT_URI");
    return env && *env ? env : "qemu:///system";
}

Result<ConnectPtr> open_connection(const std::string& uri) {
    // Errors reach the user once, in our words: libvirt's own printing to stderr is off.
    virSetErrorFunc(nullptr, [](void*, virErrorPtr) {});
    if (Status s = EventLoop::ensure_running(); !s)
        return s.error();
    unsigned long lib = 0;
    if (virGetVersion(&lib, nullptr, nullptr) < 0)
        lib = 0;
    if (Status s = check_library_version(lib); !s)
        return s.error();
    ConnectPtr conn(virConnectOpen(uri.c_str()));
    if (!conn)
        return open_error(uri);
    unsigned long daemon = 0;
    if (virConnectGetLibVersion(conn.get(), &daemon) < 0)
        return Error{"libvirt: --connect " + uri +
                         ": cannot read the daemon's version: " + last_error(),
                     EIO};
    if (Status s = check_daemon_version(daemon, uri); !s)
        return s.error();
    return conn;
}

} // namespace udmaview::virt
