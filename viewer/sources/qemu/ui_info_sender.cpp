// SPDX-License-Identifier: MIT
#include "sources/qemu/ui_info_sender.h"

#include <utility>

#include "udmaview/clock.h"

namespace udmaview::qemu {

namespace {

std::string size_text(uint32_t w, uint32_t h) {
    return std::to_string(w) + "x" + std::to_string(h);
}

// D-Bus errors that say the console cannot take a size at all (QEMU's own for a device
// without ui_info, and a peer that lacks the method).
bool unsupported(const std::string& message) {
    for (const char* name : {"UnknownMethod", "NotSupported", "Unsupported"})
        if (message.find(name) != std::string::npos)
            return true;
    return false;
}

} // namespace

void UiInfoSender::attach(const ConsoleProxy& console, std::string device) {
    console_ = &console;
    device_ = std::move(device);
    ++session_;
    pacer_.reset();
    said_ignored_ = false;
    // A new QEMU (or the first) gets the size the output wants now.
    if (wanted_)
        pacer_.want(*wanted_, now_ns());
    poll();
}

void UiInfoSender::detach() {
    console_ = nullptr;
    ++session_;
    timer_.reset();
}

void UiInfoSender::want(const WantedSize& size) {
    if (!follow_)
        return;
    wanted_ = size;
    pacer_.want(size, now_ns());
    poll();
}

void UiInfoSender::guest_size(uint32_t width, uint32_t height) {
    if (width != guest_w_ || height != guest_h_) {
        const bool first = guest_w_ == 0;
        guest_w_ = width;
        guest_h_ = height;
        stats_.update([&](QemuStats& st) {
            st.guest_size_changes += first ? 0 : 1;
            st.guest_width = width;
            st.guest_height = height;
        });
    }
    pacer_.guest_size(width, height);
}

void UiInfoSender::send(const WantedSize& size) {
    stats_.update([&](QemuStats& st) {
        ++st.ui_info_calls;
        st.ui_info_width = size.width;
        st.ui_info_height = size.height;
    });
    const uint64_t session = session_;
    console_->set_ui_info(size, [this, size, session](Status s) {
        if (session == session_)
            on_reply(size, s);
    });
}

void UiInfoSender::on_reply(const WantedSize& size, const Status& status) {
    if (status)
        return;
    if (!unsupported(status.error().message)) {
        log_line("console " + std::to_string(console_id_) + ": SetUIInfo " +
                 size_text(size.width, size.height) + " failed: " + status.error().message);
        return;
    }
    pacer_.disable();
    report_ignored(size, "QEMU refused SetUIInfo (" + status.error().message +
                             "): this display device does not take sizes");
}

void UiInfoSender::report_ignored(const WantedSize& size, const std::string& why) {
    stats_.update([](QemuStats& st) { ++st.guest_size_ignored; });
    QemuEvent refused{QemuEvent::Kind::SizeRefused, {}, 0, {}, {}};
    refused.refused = size;
    events_.post(std::move(refused));
    if (said_ignored_)
        return;
    said_ignored_ = true;
    log_line("console " + std::to_string(console_id_) + " (\"" + device_ + "\") kept its size " +
             size_text(guest_w_, guest_h_) + " instead of " + size_text(size.width, size.height) +
             ": " + why + "; only " + size_following_devices +
             " pass sizes to the guest (std VGA, cirrus, bochs-display, ramfb, qxl do not), and "
             "the guest needs a DRM driver that follows a display hotplug (Linux: virtio_gpu); "
             "the picture keeps its size, scaled where the output cannot show it 1:1 "
             "(--guest-size keep stops asking)");
}

void UiInfoSender::poll() {
    if (!console_)
        return;
    const uint64_t now = now_ns();
    if (std::optional<WantedSize> size = pacer_.due(now))
        send(*size);
    if (std::optional<WantedSize> size = pacer_.ignored(now))
        report_ignored(*size, "the guest sent no picture of that size within 10 s");
    arm();
}

void UiInfoSender::arm() {
    const uint64_t next = pacer_.next_deadline();
    if (timer_ && next == timer_at_ns_)
        return;
    timer_.reset();
    timer_at_ns_ = next;
    if (!next)
        return;
    const uint64_t now = now_ns();
    const guint ms = guint(next > now ? (next - now + 999'999) / 1'000'000 : 0);
    timer_.reset(g_timeout_source_new(ms));
    g_source_set_callback(
        timer_.get(),
        [](gpointer self) -> gboolean {
            auto* sender = static_cast<UiInfoSender*>(self);
            // GLib holds a reference while it dispatches: dropping ours here is safe.
            sender->timer_.reset();
            sender->timer_at_ns_ = 0;
            sender->poll();
            return G_SOURCE_REMOVE;
        },
        this, nullptr);
    g_source_attach(timer_.get(), g_main_context_get_thread_default());
}

} // namespace udmaview::qemu
