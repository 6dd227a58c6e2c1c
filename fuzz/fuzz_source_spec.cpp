// SPDX-License-Identifier: MIT
// libFuzzer: --source texts (demo, region:PATH,size=…,offset=…, qemu:…, qemu-p2p:…) and the
// region spec on its own. Parsing must answer a value or an Error, never crash or overflow.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "cli/source_spec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    if (auto spec = udmaview::parse_source_spec(text);
        spec && spec->kind == udmaview::SourceSpec::Kind::Region)
        (void)spec->region.to_string();
    if (auto region = udmaview::parse_region_spec(text))
        (void)region->to_string();
    return 0;
}
