// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <vector>

#include "sources/libvirt/virt_ptr.h"
#include "udmaview/error.h"

namespace udmaview::virt {

// The domain called name (or with that UUID) on conn; when there is none, an error listing
// the names that look like it (or every name, when few).
Result<DomainPtr> lookup_domain(virConnectPtr conn, const std::string& name,
                                const std::string& uri);

// Names in names close to wanted (edit distance or a common part), best first.
std::vector<std::string> near_names(const std::string& wanted,
                                    const std::vector<std::string>& names);

} // namespace udmaview::virt
