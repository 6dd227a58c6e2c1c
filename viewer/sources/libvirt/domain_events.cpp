// SPDX-License-Identifier: MIT
#include "sources/libvirt/domain_events.h"

#include <cerrno>

namespace udmaview::virt {

DomainEvents::DomainEvents(virConnectPtr conn, virDomainPtr domain, std::function<void()> started)
    : conn_(conn)
    , target_(std::make_shared<Target>()) {
    target_->started = std::move(started);
    auto* ref = new std::shared_ptr<Target>(target_);
    callback_id_ = virConnectDomainEventRegisterAny(
        conn, domain, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
        VIR_DOMAIN_EVENT_CALLBACK(+[](virConnectPtr, virDomainPtr, int event, int, void* opaque) {
            if (event != VIR_DOMAIN_EVENT_STARTED)
                return;
            Target& t = **static_cast<std::shared_ptr<Target>*>(opaque);
            std::lock_guard lock(t.mutex);
            if (t.started)
                t.started();
        }),
        ref, [](void* opaque) { delete static_cast<std::shared_ptr<Target>*>(opaque); });
    if (callback_id_ < 0) {
        delete ref;
        status_ =
            Error{"libvirt: cannot watch the domain's lifecycle events: " + last_error(), EIO};
    }
}

DomainEvents::~DomainEvents() {
    {
        std::lock_guard lock(target_->mutex);
        target_->started = nullptr;
    }
    if (callback_id_ >= 0)
        virConnectDomainEventDeregisterAny(conn_, callback_id_);
}

} // namespace udmaview::virt
