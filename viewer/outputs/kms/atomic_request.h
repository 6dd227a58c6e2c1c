// SPDX-License-Identifier: MIT
// One atomic request (drmModeAtomicReq), freed once: the only place properties are added.
#pragma once

#include <cstdint>

#include "outputs/kms/drm_ptr.h"
#include "outputs/kms/kms_properties.h"

namespace udmaview::kms {

class AtomicRequest {
public:
    explicit AtomicRequest(const DrmDevice& dev);
    AtomicRequest(const AtomicRequest&) = delete;
    AtomicRequest& operator=(const AtomicRequest&) = delete;

    // Sets a property of object; one the object lacks (id 0) is left out, so optional
    // properties (FB_DAMAGE_CLIPS) need no check at the call site.
    template <typename E> void add(const KmsObject<E>& object, E prop, uint64_t value) {
        add_property(object.id(), object.prop(prop), value);
    }
    // drmModeAtomicCommit with DRM_MODE_ATOMIC_* flags; user_data comes back with the page
    // flip event. Returns 0 or the errno of the failure.
    int commit(uint32_t flags, void* user_data);

private:
    void add_property(uint32_t object_id, uint32_t prop_id, uint64_t value);

    const DrmDevice& dev_;
    AtomicReqPtr req_;
    int error_ = 0; // first failure of an add (ENOMEM), reported by commit()
};

} // namespace udmaview::kms
