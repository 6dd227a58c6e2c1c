// SPDX-License-Identifier: MIT
// The KMS properties the output uses, per object type, resolved from names to ids once (when
// the pipeline is chosen) into tables indexed by enum: commits never look a name up.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include <xf86drmMode.h>

#include "outputs/kms/drm_objects.h"

namespace udmaview::kms {

enum class ConnectorProp { CRTC_ID, Count };
enum class CrtcProp { MODE_ID, ACTIVE, Count };
enum class PlaneProp {
    type,
    FB_ID,
    CRTC_ID,
    SRC_X,
    SRC_Y,
    SRC_W,
    SRC_H,
    CRTC_X,
    CRTC_Y,
    CRTC_W,
    CRTC_H,
    FB_DAMAGE_CLIPS,
    Count
};

// The kernel's name of each enum value (the index), and the object type that has them.
template <typename E> struct PropertyNames;
template <> struct PropertyNames<ConnectorProp> {
    static constexpr uint32_t object_type = DRM_MODE_OBJECT_CONNECTOR;
    static constexpr std::array<const char*, size_t(ConnectorProp::Count)> names{"CRTC_ID"};
};
template <> struct PropertyNames<CrtcProp> {
    static constexpr uint32_t object_type = DRM_MODE_OBJECT_CRTC;
    static constexpr std::array<const char*, size_t(CrtcProp::Count)> names{"MODE_ID", "ACTIVE"};
};
template <> struct PropertyNames<PlaneProp> {
    static constexpr uint32_t object_type = DRM_MODE_OBJECT_PLANE;
    static constexpr std::array<const char*, size_t(PlaneProp::Count)> names{
        "type",  "FB_ID",  "CRTC_ID", "SRC_X",  "SRC_Y",  "SRC_W",
        "SRC_H", "CRTC_X", "CRTC_Y",  "CRTC_W", "CRTC_H", "FB_DAMAGE_CLIPS"};
};

// A name left out would be a null entry at the end of the array: every enum value needs one.
template <typename E> constexpr bool all_named() {
    return std::ranges::none_of(PropertyNames<E>::names, [](const char* n) { return !n; });
}
static_assert(all_named<ConnectorProp>() && all_named<CrtcProp>() && all_named<PlaneProp>());

// Fills ids[i] and values[i] for the property called names[i] on the object (0 when absent).
void read_property_ids(const DrmDevice& dev, uint32_t object_id, uint32_t object_type,
                       std::span<const char* const> names, std::span<uint32_t> ids,
                       std::span<uint64_t> values);

// One KMS object (connector, CRTC or plane) with the ids of its properties.
template <typename E> class KmsObject {
public:
    KmsObject() = default;
    // Reads the object's properties (one ioctl per property, once).
    static KmsObject read(const DrmDevice& dev, uint32_t object_id) {
        KmsObject o;
        o.id_ = object_id;
        read_property_ids(dev, object_id, PropertyNames<E>::object_type, PropertyNames<E>::names,
                          o.props_, o.values_);
        return o;
    }
    uint32_t id() const { return id_; }
    // 0 when the object has no such property.
    uint32_t prop(E p) const { return props_[size_t(p)]; }
    bool has(E p) const { return prop(p) != 0; }
    // The property's value when it was read.
    uint64_t initial_value(E p) const { return values_[size_t(p)]; }

private:
    uint32_t id_ = 0;
    std::array<uint32_t, size_t(E::Count)> props_{};
    std::array<uint64_t, size_t(E::Count)> values_{};
};

using KmsConnector = KmsObject<ConnectorProp>;
using KmsCrtc = KmsObject<CrtcProp>;
using KmsPlane = KmsObject<PlaneProp>;

} // namespace udmaview::kms
