// SPDX-License-Identifier: MIT
#include "sources/libvirt/domain_display.h"

#include <cerrno>

#include "sources/libvirt/dbus_graphics.h"

namespace udmaview::virt {

DomainDisplay::DomainDisplay(std::shared_ptr<virConnect> conn, DomainPtr domain, std::string name,
                             std::string uri)
    : conn_(std::move(conn))
    , domain_(std::move(domain))
    , name_(std::move(name))
    , uri_(std::move(uri)) {}

std::string DomainDisplay::describe() const {
    return "libvirt domain " + name_ + " on " + uri_;
}

bool DomainDisplay::running() const {
    return virDomainIsActive(domain_.get()) == 1;
}

Error DomainDisplay::not_running() const {
    return Error{"domain " + name_ + " is not running (virsh -c " + uri_ + " start " + name_ + ")",
                 ESRCH};
}

Result<qemu::DisplayTarget> DomainDisplay::resolve() {
    if (!running())
        return not_running();
    CString xml(virDomainGetXMLDesc(domain_.get(), 0));
    if (!xml) {
        if (!running())
            return not_running();
        return Error{"libvirt: cannot read the XML of domain " + name_ + ": " + last_error(), EIO};
    }
    Result<std::optional<DbusGraphics>> graphics = find_dbus_graphics(xml.get());
    if (!graphics)
        return graphics.error();
    if (!*graphics)
        return no_dbus_graphics(name_, uri_);
    qemu::DisplayTarget target;
    if (!(*graphics)->p2p) {
        if ((*graphics)->address.empty())
            return Error{"libvirt: domain " + name_ +
                             "'s live <graphics type='dbus'> names no "
                             "bus address: use p2p='yes' (virsh edit " +
                             name_ + ")",
                         EINVAL};
        target.bus_address = (*graphics)->address;
        return target;
    }
    const int fd = virDomainOpenGraphicsFD(domain_.get(), unsigned((*graphics)->index), 0);
    if (fd < 0) {
        if (!running())
            return not_running();
        return Error{"libvirt: virDomainOpenGraphicsFD on domain " + name_ + " failed: " +
                         last_error() + " (the display needs a read-write connection)",
                     EIO};
    }
    target.p2p = UniqueFd(fd);
    return target;
}

} // namespace udmaview::virt
