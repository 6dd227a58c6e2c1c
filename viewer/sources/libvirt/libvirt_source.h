// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "sources/libvirt/libvirt_options.h"
#include "udmaview/source.h"

namespace udmaview::qemu {
class QemuSource;
}

namespace udmaview::virt {

class DomainDisplay;
class DaemonLink;

// A libvirt domain's <graphics type='dbus'> as a frame source: start() finds the domain and
// its D-Bus graphics through libvirt (each problem a one-line error naming the fix), then the
// QEMU D-Bus source does the rest, asking DomainDisplay where to attach each time. libvirt's
// "started" event makes it attach again (--reconnect: a domain shut off is waited for), and
// DaemonLink keeps following the domain across libvirtd restarts.
class LibvirtSource : public FrameSource {
public:
    explicit LibvirtSource(LibvirtOptions options);
    ~LibvirtSource() override;

    std::string name() const override;
    Status start() override;
    void stop() override;
    int poll_fd() const override;
    void dispatch(SourceSink& sink) override;
    void send_input(const InputEvent& event) override;
    void request_size(const WantedSize& size) override;
    std::vector<std::pair<std::string, uint64_t>> counters() const override;

private:
    Status check_domain(const DomainDisplay& display) const;

    LibvirtOptions options_;
    std::string uri_;
    std::shared_ptr<DomainDisplay> display_;
    std::unique_ptr<qemu::QemuSource> qemu_;
    std::unique_ptr<DaemonLink> link_;     // destroyed before qemu_: it calls qemu_
    uint64_t losses_ = 0, reconnects_ = 0; // link_'s, kept when stop() ends it
};

} // namespace udmaview::virt
