// SPDX-License-Identifier: MIT
#include "sources/libvirt/libvirt_source.h"

#include <cerrno>

#include "sources/libvirt/daemon_link.h"
#include "sources/libvirt/dbus_graphics.h"
#include "sources/libvirt/domain_display.h"
#include "sources/libvirt/domain_lookup.h"
#include "sources/libvirt/virt_connection.h"
#include "sources/qemu/qemu_source.h"

namespace udmaview::virt {

LibvirtSource::LibvirtSource(LibvirtOptions options)
    : options_(std::move(options))
    , uri_(options_.uri.empty() ? default_uri() : options_.uri) {}

LibvirtSource::~LibvirtSource() {
    stop();
}

std::string LibvirtSource::name() const {
    return "libvirt " + options_.domain;
}

// What can be known before attaching: the domain has D-Bus graphics (in its persistent or
// live XML) and, without --reconnect, runs.
Status LibvirtSource::check_domain(const DomainDisplay& display) const {
    CString xml(virDomainGetXMLDesc(display.domain(), 0));
    if (!xml)
        return Error{
            "libvirt: cannot read the XML of domain " + options_.domain + ": " + last_error(), EIO};
    Result<std::optional<DbusGraphics>> graphics = find_dbus_graphics(xml.get());
    if (!graphics)
        return graphics.error();
    if (!*graphics)
        return no_dbus_graphics(options_.domain, uri_);
    if (!options_.reconnect && !display.running())
        return Error{"libvirt: domain " + options_.domain + " on " + uri_ +
                         " is not running: start it (virsh -c " + uri_ + " start " +
                         options_.domain + ") or pass --reconnect to wait for it",
                     ESRCH};
    return {};
}

Status LibvirtSource::start() {
    if (qemu_)
        return {};
    Result<ConnectPtr> conn = open_connection(uri_);
    if (!conn)
        return conn.error();
    Result<DomainPtr> domain = lookup_domain(conn->get(), options_.domain, uri_);
    if (!domain)
        return domain.error();
    display_ = std::make_shared<DomainDisplay>(options_.domain, uri_);

    qemu::QemuOptions q;
    q.mode = qemu::QemuOptions::Mode::P2p;
    q.console = options_.console;
    q.reconnect = options_.reconnect;
    q.verbose = options_.verbose;
    q.use_udmabuf = options_.use_udmabuf;
    q.follow_size = options_.follow_size;
    q.resolver = display_;
    qemu_ = std::make_unique<qemu::QemuSource>(std::move(q));
    qemu::QemuSource* source = qemu_.get();
    DaemonLink::Callbacks callbacks;
    callbacks.started = [source] {
        source->reattach();
    };
    callbacks.back = [source] {
        source->reattach();
    };
    callbacks.lost_domain = [source](Error why) {
        source->end(Status(std::move(why)));
    };
    link_ = std::make_unique<DaemonLink>(std::move(*conn), std::move(*domain), display_,
                                         options_.domain, uri_, std::move(callbacks));
    if (Status s = link_->status(); !s)
        return s;
    if (Status s = check_domain(*display_); !s)
        return s;
    return qemu_->start();
}

void LibvirtSource::stop() {
    if (link_) {
        // The counters outlive the link: the report is written after stop().
        losses_ = link_->losses();
        reconnects_ = link_->reconnects();
    }
    link_.reset();
    if (qemu_)
        qemu_->stop();
}

int LibvirtSource::poll_fd() const {
    return qemu_ ? qemu_->poll_fd() : -1;
}

void LibvirtSource::dispatch(SourceSink& sink) {
    if (qemu_)
        qemu_->dispatch(sink);
}

void LibvirtSource::send_input(const InputEvent& event) {
    if (qemu_)
        qemu_->send_input(event);
}

void LibvirtSource::request_size(const WantedSize& size) {
    if (qemu_)
        qemu_->request_size(size);
}

std::vector<std::pair<std::string, uint64_t>> LibvirtSource::counters() const {
    if (!qemu_)
        return {};
    std::vector<std::pair<std::string, uint64_t>> out = qemu_->counters();
    out.emplace_back("libvirt_lost", link_ ? link_->losses() : losses_);
    out.emplace_back("libvirt_reconnects", link_ ? link_->reconnects() : reconnects_);
    return out;
}

} // namespace udmaview::virt
