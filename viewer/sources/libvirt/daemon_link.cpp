// SPDX-License-Identifier: MIT
#include "sources/libvirt/daemon_link.h"

#include <cerrno>
#include <chrono>
#include <iostream>

#include "sources/libvirt/domain_display.h"
#include "sources/libvirt/domain_events.h"
#include "sources/libvirt/domain_lookup.h"
#include "sources/libvirt/virt_connection.h"

namespace udmaview::virt {

namespace {

const char* close_reason(int reason) {
    switch (reason) {
    case VIR_CONNECT_CLOSE_REASON_EOF:
        return "the daemon closed it";
    case VIR_CONNECT_CLOSE_REASON_KEEPALIVE:
        return "keepalive timeout";
    case VIR_CONNECT_CLOSE_REASON_ERROR:
        return "an I/O error";
    default:
        return "closed by the client";
    }
}

} // namespace

DaemonLink::DaemonLink(ConnectPtr conn, DomainPtr domain, std::shared_ptr<DomainDisplay> display,
                       std::string name, std::string uri, Callbacks callbacks)
    : display_(std::move(display))
    , name_(std::move(name))
    , uri_(std::move(uri))
    , callbacks_(std::move(callbacks)) {
    status_ = install(std::move(conn), std::move(domain));
    if (status_)
        thread_ = std::thread([this] { reconnect_loop(); });
}

DaemonLink::~DaemonLink() {
    {
        std::lock_guard lock(mutex_);
        quit_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable())
        thread_.join();
    events_.reset();
    unwatch_close();
}

// The new connection and domain go to DomainDisplay (its next attach uses them) and to new
// lifecycle events; the old ones are released once nothing uses them.
Status DaemonLink::install(ConnectPtr conn, DomainPtr domain) {
    unwatch_close();
    events_.reset();
    conn_ = std::shared_ptr<virConnect>(conn.release(), ConnectClose{});
    display_->replace(conn_, std::move(domain));
    events_ = std::make_unique<DomainEvents>(conn_.get(), display_->domain(), callbacks_.started);
    if (Status s = events_->status(); !s)
        return s;
    watch_close(conn_.get());
    return {};
}

void DaemonLink::closed(virConnectPtr, int reason, void* self) {
    static_cast<DaemonLink*>(self)->on_closed(reason);
}

void DaemonLink::watch_close(virConnectPtr conn) {
    close_watched_ = virConnectRegisterCloseCallback(conn, &DaemonLink::closed, this, nullptr) == 0;
}

void DaemonLink::unwatch_close() {
    if (!close_watched_ || !conn_)
        return;
    virConnectUnregisterCloseCallback(conn_.get(), &DaemonLink::closed);
    close_watched_ = false;
}

// libvirt's event thread: only hand over to ours.
void DaemonLink::on_closed(int reason) {
    {
        std::lock_guard lock(mutex_);
        if (quit_)
            return;
        lost_ = true;
    }
    ++losses_;
    std::cerr << "libvirt: the connection to " << uri_ << " was lost (" << close_reason(reason)
              << "; libvirtd restarting?); domain " << name_
              << "'s picture goes on, connecting again every second\n";
    wake_.notify_all();
}

void DaemonLink::reconnect_loop() {
    std::unique_lock lock(mutex_);
    for (;;) {
        wake_.wait(lock, [this] { return quit_ || lost_; });
        if (quit_)
            return;
        // A restarting daemon needs a moment; a second apart is what virsh users expect.
        if (wake_.wait_for(lock, std::chrono::seconds(1), [this] { return quit_; }))
            return;
        lock.unlock();
        Result<ConnectPtr> conn = open_connection(uri_);
        if (!conn) {
            lock.lock();
            continue;
        }
        Result<DomainPtr> domain = lookup_domain(conn->get(), name_, uri_);
        if (!domain) {
            if (callbacks_.lost_domain)
                callbacks_.lost_domain(domain.error());
            lock.lock();
            lost_ = false;
            continue;
        }
        const unsigned int before = display_->id();
        Status s = install(std::move(*conn), std::move(*domain));
        lock.lock();
        if (!s) {
            continue; // events could not be set up: try again in a second
        }
        lost_ = false;
        ++reconnects_;
        std::cerr << "libvirt: connected to " << uri_ << " again; following domain " << name_
                  << "\n";
        // The same QEMU still runs (same domain ID): its display connection never broke.
        // Else it started while the daemon was away, and its event went with the daemon.
        if (display_->running() && display_->id() != before && callbacks_.back) {
            lock.unlock();
            callbacks_.back();
            lock.lock();
        }
    }
}

} // namespace udmaview::virt
