// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <gio/gio.h>
#include <optional>
#include <string>

#include "sources/qemu/console_proxy.h"
#include "sources/qemu/glib_ptr.h"
#include "sources/qemu/qemu_report.h"
#include "sources/qemu/ui_info_pacer.h"
#include "udmaview/wanted_size.h"

namespace udmaview::qemu {

// Tells QEMU the size the output wants for our console (Console.SetUIInfo, asynchronously),
// paced by UiInfoPacer on a timer in the GLib thread's context, and watches whether the
// guest's picture follows: a console that refuses the call, or a guest whose picture keeps
// its size for 10 s, is counted (guest_size_ignored), named in one line and posted as an event.
// Counts the calls and the guest's size changes in QemuStats. Lives on the GLib thread across
// sessions.
class UiInfoSender {
public:
    // events: where a size the guest did not take is posted (QemuEvent::Kind::SizeRefused).
    UiInfoSender(bool follow, uint32_t console, StatsCounter& stats, QemuEvents& events)
        : follow_(follow)
        , console_id_(console)
        , stats_(stats)
        , events_(events) {}
    UiInfoSender(const UiInfoSender&) = delete;
    UiInfoSender& operator=(const UiInfoSender&) = delete;

    // A session attached: calls go to its console; device: the console's label (for the line).
    void attach(const ConsoleProxy& console, std::string device);
    void detach();
    void want(const WantedSize& size);
    // Every frame: the guest's picture size.
    void guest_size(uint32_t width, uint32_t height);

private:
    void send(const WantedSize& size);
    void on_reply(const WantedSize& size, const Status& status);
    void report_ignored(const WantedSize& size, const std::string& why);
    void poll();
    void arm();

    const bool follow_;
    const uint32_t console_id_;
    StatsCounter& stats_;
    QemuEvents& events_;
    UiInfoPacer pacer_;
    const ConsoleProxy* console_ = nullptr;
    std::string device_;
    std::optional<WantedSize> wanted_; // the latest, for the next session
    uint64_t session_ = 0;             // replies from an older session are dropped
    GAttachedSourcePtr timer_;
    uint64_t timer_at_ns_ = 0;
    uint32_t guest_w_ = 0, guest_h_ = 0;
    bool said_ignored_ = false;
};

// The QEMU display devices whose console takes a size (they implement QEMU's ui_info hook).
inline constexpr const char* size_following_devices =
    "virtio-vga, virtio-gpu-pci, virtio-vga-gl, virtio-gpu-gl-pci, vhost-user-gpu, xenfb, "
    "vfio display (mdev)";

} // namespace udmaview::qemu
