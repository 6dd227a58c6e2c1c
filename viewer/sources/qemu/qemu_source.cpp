// SPDX-License-Identifier: MIT
#include "sources/qemu/qemu_source.h"

#include <cerrno>
#include <gio/gio.h>
#include <iostream>

#include "sources/qemu/qemu_client.h"

namespace udmaview::qemu {

namespace {

// bus mode: the D-Bus address to use, checked before the thread starts.
Result<std::string> resolve_bus_address(const std::string& given) {
    std::string address = given;
    if (address.empty()) {
        GError* raw = nullptr;
        g_autofree gchar* session =
            g_dbus_address_get_for_bus_sync(G_BUS_TYPE_SESSION, nullptr, &raw);
        g_autoptr(GError) err = raw;
        if (!session)
            return Error{std::string("qemu: no session bus (") + err->message +
                             "): set DBUS_SESSION_BUS_ADDRESS or use --source qemu:ADDRESS",
                         ENOENT};
        address = session;
    }
    if (!g_dbus_is_address(address.c_str()))
        return Error{"qemu: \"" + address +
                         "\" is not a D-Bus address (e.g. unix:path=/run/user/1000/bus)",
                     EINVAL};
    return address;
}

} // namespace

QemuSource::QemuSource(QemuOptions options)
    : options_(std::move(options)) {}

QemuSource::~QemuSource() {
    stop();
}

std::string QemuSource::name() const {
    if (options_.resolver)
        return options_.resolver->describe();
    return options_.mode == QemuOptions::Mode::P2p
               ? "qemu-p2p " + options_.address
               : "qemu " +
                     (options_.address.empty() ? std::string("session bus") : options_.address);
}

Status QemuSource::start() {
    if (thread_.joinable())
        return {};
    if (Status s = events_.open("qemu"); !s)
        return s;
    std::string bus_address;
    if (options_.mode == QemuOptions::Mode::Bus && !options_.resolver) {
        Result<std::string> resolved = resolve_bus_address(options_.address);
        if (!resolved)
            return resolved.error();
        bus_address = std::move(*resolved);
    }
    client_ = std::make_unique<QemuClient>(options_, std::move(bus_address), events_, stats_);
    thread_ = std::thread([this] { client_->run(); });
    return {};
}

void QemuSource::stop() {
    if (!thread_.joinable())
        return;
    client_->stop();
    thread_.join();
    const QemuStats st = stats();
    if (options_.verbose || st.scanouts || st.updates || st.rejected)
        std::cerr << "qemu: " << st.scanouts << " Scanout + " << st.updates << " Update copied "
                  << st.bytes_copied << " bytes ("
                  << (st.scanouts + st.updates ? st.bytes_copied / (st.scanouts + st.updates) : 0)
                  << " per message), " << st.dmabuf_scanouts << " ScanoutDMABUF + "
                  << st.dmabuf_updates << " UpdateDMABUF (0 bytes copied), " << st.rejected
                  << " rejected, " << st.inputs_sent << " input calls\n";
}

void QemuSource::dispatch(SourceSink& sink) {
    for (QemuEvent& e : events_.drain()) {
        if (end_reported_)
            break;
        switch (e.kind) {
        case QemuEvent::Kind::Frame:
            sink.on_frame(std::move(e.frame));
            break;
        case QemuEvent::Kind::Retire:
            sink.on_buffer_retired(e.retired);
            break;
        case QemuEvent::Kind::Cursor:
            sink.on_cursor(e.cursor);
            break;
        case QemuEvent::Kind::End:
            if (end_reported_)
                break; // the first end counts
            end_reported_ = true;
            sink.on_source_end(e.status);
            break;
        case QemuEvent::Kind::SizeRefused:
            sink.on_size_refused(e.refused);
            break;
        }
    }
}

void QemuSource::send_input(const InputEvent& event) {
    if (!client_ || !thread_.joinable())
        return;
    client_->send_input(event);
}

void QemuSource::request_size(const WantedSize& size) {
    if (client_ && thread_.joinable())
        client_->request_size(size);
}

void QemuSource::reattach() {
    if (client_ && thread_.joinable())
        client_->reattach();
}

void QemuSource::end(Status why) {
    events_.post({QemuEvent::Kind::End, {}, 0, {}, std::move(why)});
}

std::vector<std::pair<std::string, uint64_t>> QemuSource::counters() const {
    const QemuStats st = stats();
    return {{"scanout", st.scanouts},
            {"update", st.updates},
            {"bytes_copied", st.bytes_copied},
            {"scanout_dmabuf", st.dmabuf_scanouts},
            {"update_dmabuf", st.dmabuf_updates},
            {"rejected", st.rejected},
            {"input_calls", st.inputs_sent},
            {"key_calls", st.keys_sent},
            {"scanout_map", st.map_scanouts},
            {"update_map", st.map_updates},
            {"ui_info_calls", st.ui_info_calls},
            {"ui_info_width", st.ui_info_width},
            {"ui_info_height", st.ui_info_height},
            {"guest_size_changes", st.guest_size_changes},
            {"guest_width", st.guest_width},
            {"guest_height", st.guest_height},
            {"guest_size_ignored", st.guest_size_ignored}};
}

} // namespace udmaview::qemu
