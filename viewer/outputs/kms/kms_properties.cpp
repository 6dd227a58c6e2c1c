// SPDX-License-Identifier: MIT
#include "outputs/kms/kms_properties.h"

#include <cstring>

#include "outputs/kms/drm_ptr.h"

namespace udmaview::kms {

void read_property_ids(const DrmDevice& dev, uint32_t object_id, uint32_t object_type,
                       std::span<const char* const> names, std::span<uint32_t> ids,
                       std::span<uint64_t> values) {
    const ModeObjectPropertiesPtr props(
        drmModeObjectGetProperties(dev.fd(), object_id, object_type));
    if (!props)
        return; // every id stays 0: Committer::ready() names the first required one
    for (uint32_t i = 0; i < props->count_props; ++i) {
        const ModePropertyPtr prop(drmModeGetProperty(dev.fd(), props->props[i]));
        if (!prop)
            continue;
        for (size_t n = 0; n < names.size(); ++n)
            if (std::strcmp(prop->name, names[n]) == 0) {
                ids[n] = prop->prop_id;
                values[n] = props->prop_values[i];
            }
    }
}

} // namespace udmaview::kms
