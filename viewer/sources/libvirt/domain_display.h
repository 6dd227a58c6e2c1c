// SPDX-License-Identifier: MIT
#pragma once

#include <memory>
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
    DomainDisplay(std::shared_ptr<virConnect> conn, DomainPtr domain, std::string name,
                  std::string uri);

    // ESRCH when the domain is not running.
    Result<qemu::DisplayTarget> resolve() override;
    std::string describe() const override;

    virDomainPtr domain() const { return domain_.get(); }
    bool running() const;
    const std::string& uri() const { return uri_; }
    const std::string& name() const { return name_; }

private:
    Error not_running() const;

    std::shared_ptr<virConnect> conn_; // outlives domain_
    DomainPtr domain_;
    std::string name_, uri_;
};

} // namespace udmaview::virt
