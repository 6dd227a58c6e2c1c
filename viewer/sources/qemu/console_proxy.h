// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <functional>
#include <gio/gio.h>
#include <optional>
#include <string>
#include <vector>

#include "udmaview/error.h"
#include "udmaview/wanted_size.h"

namespace udmaview::qemu {

inline constexpr int call_timeout_ms = 5000;

std::string console_path(uint32_t id);

struct ConsoleInfo {
    uint32_t id = 0;
    std::string label, type;
    uint32_t width = 0, height = 0;
};

struct ConsoleSize {
    uint32_t width = 0, height = 0;
};

// What one PropertiesChanged of our console said; fields it did not mention stay empty.
struct ConsoleChange {
    std::optional<bool> mouse_absolute;
    std::optional<uint32_t> width, height;
};

class ConsoleObserver {
public:
    virtual ~ConsoleObserver() = default;
    virtual void on_console_change(const ConsoleChange& change) = 0;
};

// QEMU's VM and console objects as seen through one connection (bus or peer-to-peer): every
// call udmaview makes on them. The session owns the connection and the cancellable and
// outlives this proxy; cancelling ends every call in flight.
class ConsoleProxy {
public:
    ConsoleProxy(GDBusConnection* conn, const char* peer, uint32_t console, GCancellable* cancel)
        : conn_(conn)
        , peer_(peer)
        , console_(console)
        , cancel_(cancel) {}

    uint32_t console() const { return console_; }
    Result<std::vector<uint32_t>> console_ids() const;
    // Label, type and size; empty fields when QEMU does not answer.
    ConsoleInfo info(uint32_t id) const;
    // One line per console, for messages ("\n  console 0: Graphic "VGA" 640x480").
    std::string describe(const std::vector<uint32_t>& ids) const;
    bool mouse_absolute() const;
    // Our console's size, asked with a short timeout; nullopt when QEMU did not answer.
    std::optional<ConsoleSize> query_size(int timeout_ms) const;

    // PropertiesChanged of our console; returns the subscription id for unsubscribe().
    guint subscribe(ConsoleObserver& observer) const;
    void unsubscribe(guint id) const;

    // RegisterListener(fd): QEMU connects to us through fd. done runs with the outcome unless
    // the session ended first.
    Status register_listener(int fd, std::function<void(Status)> done) const;
    // Console.SetUIInfo: the size the output wants for the console; done runs with the
    // outcome (a remote error's message starts with its D-Bus name) unless the session ended.
    void set_ui_info(const WantedSize& size, std::function<void(Status)> done) const;
    // interface.method(args) on our console without waiting; a failure is logged.
    void call_async(const char* interface, const char* method, GVariant* args) const;

private:
    void call(const char* interface, const char* method, GVariant* args, GUnixFDList* fds,
              int timeout_ms, std::function<void(Status)> done) const;

    GDBusConnection* conn_;
    const char* peer_; // bus name (bus mode) or nullptr (p2p)
    uint32_t console_;
    GCancellable* cancel_;
};

} // namespace udmaview::qemu
