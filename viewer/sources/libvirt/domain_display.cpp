// SPDX-License-Identifier: MIT
#include "sources/libvirt/domain_display.h"

#include <cerrno>
#include <utility>

#include "sources/libvirt/dbus_graphics.h"

namespace udmaview::virt {

DomainDisplay::DomainDisplay(std::string name, std::string uri)
    : name_(std::move(name))
    , uri_(std::move(uri)) {}

void DomainDisplay::replace(std::shared_ptr<virConnect> conn, DomainPtr domain) {
    DomainPtr old_domain;
    std::shared_ptr<virConnect> old_conn;
    {
        std::lock_guard lock(mutex_);
        old_domain = std::exchange(domain_, std::move(domain));
        old_conn = std::exchange(conn_, std::move(conn));
    }
    // Released outside the lock, the domain before its connection.
    old_domain.reset();
}

virDomainPtr DomainDisplay::domain() const {
    std::lock_guard lock(mutex_);
    return domain_.get();
}

unsigned int DomainDisplay::id() const {
    std::lock_guard lock(mutex_);
    return domain_ ? virDomainGetID(domain_.get()) : unsigned(-1);
}

std::string DomainDisplay::describe() const {
    return "libvirt domain " + name_ + " on " + uri_;
}

bool DomainDisplay::running() const {
    std::lock_guard lock(mutex_);
    return domain_ && virDomainIsActive(domain_.get()) == 1;
}

Error DomainDisplay::not_running() const {
    return Error{"domain " + name_ + " is not running (virsh -c " + uri_ + " start " + name_ + ")",
                 ESRCH};
}

Result<qemu::DisplayTarget> DomainDisplay::resolve() {
    if (!running())
        return not_running();
    // A reference of our own: replace() may swap domain_ meanwhile.
    std::shared_ptr<virConnect> conn;
    DomainPtr domain;
    {
        std::lock_guard lock(mutex_);
        conn = conn_;
        if (domain_ && virDomainRef(domain_.get()) == 0)
            domain.reset(domain_.get());
    }
    if (!domain)
        return not_running();
    CString xml(virDomainGetXMLDesc(domain.get(), 0));
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
    const int fd = virDomainOpenGraphicsFD(domain.get(), unsigned((*graphics)->index), 0);
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
