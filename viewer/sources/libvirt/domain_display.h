// SPDX-License-Identifier: MIT
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "sources/libvirt/virt_ptr.h"
#include "sources/qemu/qemu_options.h"

namespace udmaview::virt {

// Where one libvirt domain's D-Bus display is right now, asked on every attach: the domain's
// QEMU and, in bus mode, its bus change with every start. p2p='yes': a connection from
// virDomainOpenGraphicsFD (libvirt passes QEMU one end: no socket path or permission to
// reach). Bus mode: the address from the live XML.
class DomainDisplay : public qemu::DisplayResolver {
public:
    DomainDisplay(std::string name, std::string uri);

    // The connection and domain the next calls use (DaemonLink: at start and after libvirtd
    // came back); any thread.
    void replace(std::shared_ptr<virConnect> conn, DomainPtr domain);

    // ESRCH when the domain is not running.
    Result<qemu::DisplayTarget> resolve() override;
    std::string describe() const override;

    virDomainPtr domain() const;
    bool running() const;
    // libvirt's ID of the running domain (a new one on every start), or -1 as unsigned.
    unsigned int id() const;
    const std::string& uri() const { return uri_; }
    const std::string& name() const { return name_; }

private:
    Error not_running() const;

    mutable std::mutex mutex_;         // resolve() on the source's thread, replace() on ours
    std::shared_ptr<virConnect> conn_; // outlives domain_
    DomainPtr domain_;
    std::string name_, uri_;
};

} // namespace udmaview::virt
