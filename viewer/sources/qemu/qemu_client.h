// SPDX-License-Identifier: MIT
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "sources/qemu/dbus_session.h"
#include "sources/qemu/display_listener.h"
#include "sources/qemu/glib_ptr.h"
#include "sources/qemu/input_forwarder.h"
#include "sources/qemu/qemu_options.h"
#include "sources/qemu/qemu_report.h"
#include "sources/qemu/ui_info_sender.h"

namespace udmaview::qemu {

// Everything on the GLib thread, with a GMainContext of its own: attaches to QEMU (waiting
// for it to appear), serves the listener, forwards input, and decides what happens when QEMU
// goes away (wait again with --reconnect, else end and keep the last picture).
class QemuClient : SessionObserver, ConsoleObserver, PictureSizeObserver {
public:
    // bus_address: the resolved D-Bus address (bus mode).
    QemuClient(const QemuOptions& options, std::string bus_address, QemuEvents& events,
               StatsCounter& stats);

    // The thread's body; returns after stop().
    void run();
    // Any thread.
    void stop();
    void send_input(const InputEvent& event);
    // Any thread: the size the output wants (the latest wins until the GLib thread takes it).
    void request_size(const WantedSize& size);
    // Any thread: attach again now (the resolver's display may have come back).
    void reattach();

private:
    // Runs f(this) on the GLib thread (never in the caller's, even before the loop runs).
    void run_in_loop(GSourceFunc f);
    void post_end(Status why);
    void connect();
    void connect_resolved();
    std::string where() const;
    void schedule_connect();
    void arm_retry();
    void waiting(const std::string& why);
    void report_waiting(const std::string& why);
    void attach();
    void end_session();

    void on_qemu_found(const char* owner) override;
    void on_qemu_lost(const std::string& why) override;
    void on_unreachable(const std::string& why) override;
    void on_gone(const std::string& why) override;
    void on_fatal(Status why) override;
    void on_console_change(const ConsoleChange& change) override;
    void on_picture_size(uint32_t width, uint32_t height) override;

    const QemuOptions& opt_;
    const std::string bus_address_;
    QemuEvents& events_;
    StatsCounter& stats_;
    GMainContextPtr context_{g_main_context_new()};
    GMainLoopPtr loop_{g_main_loop_new(context_.get(), FALSE)};
    UiInfoSender sizes_; // before listener_, which reports to it
    DisplayListener listener_;
    InputForwarder input_;
    std::unique_ptr<DbusSession> session_;
    std::mutex wanted_mutex_;
    std::optional<WantedSize> wanted_; // request_size()'s, not yet taken
    guint retry_source_ = 0;
    static constexpr int max_resolver_retries = 3;
    int resolver_retries_ = 0; // failed attaches to the resolver's display in a row
    bool waiting_reported_ = false;
    bool ever_attached_ = false;
    bool ended_ = false;
};

} // namespace udmaview::qemu
