// SPDX-License-Identifier: MIT
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "sources/libvirt/virt_ptr.h"
#include "udmaview/error.h"

namespace udmaview::virt {

class DomainDisplay;
class DomainEvents;

// The connection to libvirtd that one shown domain needs: its lifecycle events and, on every
// attach, DomainDisplay's calls. libvirtd may restart while the domain and its display go on
// (an upgrade, `systemctl restart libvirtd`): libvirt's close callback tells us, and a thread
// of ours opens the connection again every second until the daemon answers, finds the domain
// again and hands both to DomainDisplay and new DomainEvents. Then back() runs, so the source
// attaches again if the domain restarted meanwhile.
class DaemonLink {
public:
    struct Callbacks {
        std::function<void()> started;          // the domain started (libvirt's event thread)
        std::function<void()> back;             // connected again, the domain restarted meanwhile
        std::function<void(Error)> lost_domain; // reconnected, but the domain is gone
    };

    // conn: open, domain: found on it; display gets each new connection.
    DaemonLink(ConnectPtr conn, DomainPtr domain, std::shared_ptr<DomainDisplay> display,
               std::string name, std::string uri, Callbacks callbacks);
    ~DaemonLink();
    DaemonLink(const DaemonLink&) = delete;
    DaemonLink& operator=(const DaemonLink&) = delete;

    Status status() const { return status_; }
    uint64_t losses() const { return losses_.load(); }
    uint64_t reconnects() const { return reconnects_.load(); }

private:
    Status install(ConnectPtr conn, DomainPtr domain);
    void watch_close(virConnectPtr conn);
    void unwatch_close();
    static void closed(virConnectPtr conn, int reason, void* self);
    void on_closed(int reason);
    void reconnect_loop();

    std::shared_ptr<DomainDisplay> display_;
    std::string name_, uri_;
    Callbacks callbacks_;
    Status status_;

    std::shared_ptr<virConnect> conn_; // shared with display_
    std::unique_ptr<DomainEvents> events_;
    bool close_watched_ = false;

    std::mutex mutex_;
    std::condition_variable wake_;
    bool lost_ = false, quit_ = false;
    std::atomic<uint64_t> losses_{0}, reconnects_{0};
    std::thread thread_; // last: started once the rest is set up
};

} // namespace udmaview::virt
