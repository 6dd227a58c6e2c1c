// SPDX-License-Identifier: MIT
#include "outputs/kms/atomic_request.h"

#include <cerrno>

namespace udmaview::kms {

AtomicRequest::AtomicRequest(const DrmDevice& dev)
    : dev_(dev)
    , req_(drmModeAtomicAlloc()) {
    if (!req_)
        error_ = ENOMEM;
}

void AtomicRequest::add_property(uint32_t object_id, uint32_t prop_id, uint64_t value) {
    if (!prop_id || !req_)
        return;
    if (drmModeAtomicAddProperty(req_.get(), object_id, prop_id, value) < 0 && !error_)
        error_ = ENOMEM;
}

int AtomicRequest::commit(uint32_t flags, void* user_data) {
    if (error_)
        return error_;
    if (drmModeAtomicCommit(dev_.fd(), req_.get(), flags, user_data) != 0)
        return errno ? errno : EIO;
    return 0;
}

} // namespace udmaview::kms
