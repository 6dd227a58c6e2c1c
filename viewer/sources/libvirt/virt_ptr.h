// SPDX-License-Identifier: MIT
#pragma once

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <memory>
#include <string>

namespace udmaview::virt {

struct ConnectClose {
    void operator()(virConnectPtr c) const { virConnectClose(c); }
};
struct DomainFree {
    void operator()(virDomainPtr d) const { virDomainFree(d); }
};
struct CharFree {
    void operator()(char* s) const { free(s); }
};
using ConnectPtr = std::unique_ptr<virConnect, ConnectClose>;
using DomainPtr = std::unique_ptr<virDomain, DomainFree>;
using CString = std::unique_ptr<char, CharFree>;

// libvirt's message for the call that just failed on this thread ("" when none).
inline std::string last_error() {
    const virError* err = virGetLastError();
    return err && err->message ? err->message : "unknown libvirt error";
}

// libvirt's code (virErrorNumber) for the call that just failed on this thread.
inline int last_error_code() {
    const virError* err = virGetLastError();
    return err ? err->code : VIR_ERR_OK;
}

} // namespace udmaview::virt
