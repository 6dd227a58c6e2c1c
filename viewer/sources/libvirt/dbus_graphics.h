// SPDX-License-Identifier: MIT
#pragma once

#include <optional>
#include <string>

#include "udmaview/error.h"

namespace udmaview::virt {

// A domain's <graphics type='dbus'> element, from its XML.
struct DbusGraphics {
    int index = 0;       // among all <graphics> of the domain (virDomainOpenGraphicsFD's idx)
    bool p2p = false;    // p2p='yes': the connection comes from virDomainOpenGraphicsFD
    std::string address; // bus mode, live XML only: the bus libvirt started for the domain
};

// The first <graphics type='dbus'> under <devices> of domain_xml; nullopt when it has none.
// An error when the XML does not parse.
Result<std::optional<DbusGraphics>> find_dbus_graphics(const std::string& domain_xml);

// The one-line error for a domain without D-Bus graphics: the element to add and how.
Error no_dbus_graphics(const std::string& domain, const std::string& uri);

} // namespace udmaview::virt
