// SPDX-License-Identifier: MIT
#pragma once

#include <functional>
#include <memory>
#include <mutex>

#include "sources/libvirt/virt_ptr.h"
#include "udmaview/error.h"

namespace udmaview::virt {

// libvirt's lifecycle events of one domain: started runs (on libvirt's event thread) each time
// the domain starts. Deregistered on destruction; started never runs after that.
class DomainEvents {
public:
    DomainEvents(virConnectPtr conn, virDomainPtr domain, std::function<void()> started);
    ~DomainEvents();
    DomainEvents(const DomainEvents&) = delete;
    DomainEvents& operator=(const DomainEvents&) = delete;

    Status status() const { return status_; }

private:
    // Owned by libvirt's registration (freed by its free callback), so that a callback in
    // flight while we deregister still finds it.
    struct Target {
        std::mutex mutex;
        std::function<void()> started;
    };

    virConnectPtr conn_;
    std::shared_ptr<Target> target_;
    int callback_id_ = -1;
    Status status_;
};

} // namespace udmaview::virt
