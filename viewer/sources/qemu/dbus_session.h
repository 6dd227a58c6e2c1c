// SPDX-License-Identifier: MIT
#pragma once

#include <gio/gio.h>
#include <optional>
#include <string>
#include <vector>

#include "sources/qemu/console_proxy.h"
#include "sources/qemu/glib_ptr.h"
#include "udmaview/error.h"
#include "udmaview/unique_fd.h"

namespace udmaview::qemu {

// What a session reports to its owner, on the GLib thread. Each of these may destroy the
// session: the session does nothing after calling one.
class SessionObserver {
public:
    virtual ~SessionObserver() = default;
    // QEMU is there (bus name owned by owner, or peer-to-peer handshake done: owner null):
    // attach now.
    virtual void on_qemu_found(const char* owner) = 0;
    // Bus mode: org.qemu is not (or no longer) on the bus.
    virtual void on_qemu_lost(const std::string& why) = 0;
    // The bus or the QMP socket cannot be reached (yet).
    virtual void on_unreachable(const std::string& why) = 0;
    // A connection closed or failed.
    virtual void on_gone(const std::string& why) = 0;
    // Nothing to retry: the source ends.
    virtual void on_fatal(Status why) = 0;
};

// Serves the listener object on the connection QEMU calls it through.
class ListenerServer {
public:
    virtual ~ListenerServer() = default;
    // Returns the registration ids (one per interface of the object).
    virtual Result<std::vector<guint>> serve(GDBusConnection* conn) = 0;
};

// One attachment to one QEMU: the connection to it (bus or peer-to-peer via QMP), the listener
// connection it calls us on, and every watch and subscription on them. Destroying the session
// cancels what is in flight and closes both connections; a new QEMU gets a new session.
class DbusSession {
public:
    DbusSession(SessionObserver& observer, uint32_t console)
        : observer_(observer)
        , console_id_(console) {}
    ~DbusSession();
    DbusSession(const DbusSession&) = delete;
    DbusSession& operator=(const DbusSession&) = delete;

    // Connects to the bus daemon at address and waits for org.qemu there.
    void open_bus(const std::string& address);
    // Asks QEMU's QMP socket for a peer-to-peer D-Bus connection.
    void open_p2p(const std::string& qmp_socket);
    // A peer-to-peer D-Bus connection already made (QEMU the authenticating server).
    void open_p2p_fd(UniqueFd fd);

    // QEMU's objects; only after on_qemu_found().
    const ConsoleProxy& console() const { return *console_; }
    void watch_console(ConsoleObserver& observer);
    // Makes a socketpair, serves the listener on our end and registers it with QEMU.
    // registered runs once QEMU accepted it.
    void open_listener(ListenerServer& server, std::function<void()> registered);

    bool attached = false; // QEMU found, listener being set up or running

private:
    // A peer-to-peer D-Bus connection over stream, handed to Ready (or its error) unless the
    // session ended first.
    template <void (DbusSession::*Ready)(GDBusConnection*, const GError*)>
    void handshake(GIOStream* stream, GDBusConnectionFlags flags);
    void on_qemu_connection(GDBusConnection* conn, const GError* err);
    void on_listener_connection(GDBusConnection* conn, const GError* err);
    void adopt_qemu(GDBusConnection* conn, const char* peer);
    void serve_listener(GDBusConnection* conn);
    void watch_closed(GDBusConnection* conn, guint& id);

    SessionObserver& observer_;
    uint32_t console_id_;
    GObjectPtr<GCancellable> cancel_{g_cancellable_new()};
    GObjectPtr<GDBusConnection> qemu_; // bus or p2p connection to QEMU
    GObjectPtr<GDBusConnection> listener_;
    std::optional<ConsoleProxy> console_;
    ListenerServer* server_ = nullptr; // serves the listener once its connection is up
    guint name_watch_ = 0, qemu_closed_ = 0, listener_closed_ = 0, props_sub_ = 0;
    std::vector<guint> registrations_;
};

} // namespace udmaview::qemu
