// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <string_view>

#include "sources/region/region_spec.h"
#include "udmaview/error.h"

namespace udmaview {

// --source, parsed: which source and the address or region it names.
struct SourceSpec {
    enum class Kind { Demo, Region, Qemu, Libvirt };
    Kind kind = Kind::Demo;
    std::string text = "demo"; // as given, for messages
    RegionSpec region;         // Region
    bool qemu_p2p = false;     // Qemu: -display dbus,p2p=yes reached through QMP
    std::string qemu_address;  // Qemu: D-Bus address ("" = session bus) or QMP socket path
    std::string domain;        // Libvirt: domain name or UUID
};

// "demo", "region:SPEC", "qemu", "qemu:ADDRESS", "qemu-p2p:QMP_SOCKET" or "libvirt:DOMAIN".
Result<SourceSpec> parse_source_spec(std::string_view text);

// "PATH,size=WxH[,offset=N][,format=FMT][,stride=N]" (what follows "region:").
Result<RegionSpec> parse_region_spec(std::string_view text);

} // namespace udmaview
