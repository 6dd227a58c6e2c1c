// SPDX-License-Identifier: MIT
#include "sources/qemu/dbus_session.h"

#include <cerrno>
#include <sys/socket.h>

#include "sources/qemu/qmp.h"
#include "udmaview/unique_fd.h"

namespace udmaview::qemu {

namespace {

constexpr const char* qemu_bus_name = "org.qemu";

// A GIOStream over a connected socket, for a peer-to-peer GDBusConnection.
Result<GObjectPtr<GIOStream>> stream_from_fd(UniqueFd fd) {
    GError* raw = nullptr;
    GSocket* sock = g_socket_new_from_fd(fd.get(), &raw);
    g_autoptr(GError) err = raw;
    if (!sock)
        return Error{std::string("qemu: socket: ") + err->message, EIO};
    (void)fd.release(); // the GSocket owns it now
    GObjectPtr<GSocket> owned(sock);
    return GObjectPtr<GIOStream>(G_IO_STREAM(g_socket_connection_factory_create_connection(sock)));
}

} // namespace

template <void (DbusSession::*Ready)(GDBusConnection*, const GError*)>
void DbusSession::handshake(GIOStream* stream, GDBusConnectionFlags flags) {
    g_dbus_connection_new(
        stream, nullptr, flags, nullptr, cancel_.get(),
        [](GObject*, GAsyncResult* res, gpointer self) {
            GError* raw = nullptr;
            GDBusConnection* conn = g_dbus_connection_new_finish(res, &raw);
            g_autoptr(GError) err = raw;
            if (!conn && g_error_matches(err, G_IO_ERROR, G_IO_ERROR_CANCELLED))
                return; // the session is gone
            (static_cast<DbusSession*>(self)->*Ready)(conn, err);
        },
        this);
}

void DbusSession::on_qemu_connection(GDBusConnection* conn, const GError* err) {
    if (!conn) {
        observer_.on_gone(std::string("peer-to-peer D-Bus handshake failed: ") + err->message);
        return;
    }
    adopt_qemu(conn, nullptr);
    observer_.on_qemu_found(nullptr);
}

void DbusSession::on_listener_connection(GDBusConnection* conn, const GError* err) {
    if (!conn) {
        observer_.on_gone(std::string("listener connection failed: ") + err->message);
        return;
    }
    serve_listener(conn);
}

DbusSession::~DbusSession() {
    g_cancellable_cancel(cancel_.get());
    if (name_watch_)
        g_bus_unwatch_name(name_watch_);
    if (props_sub_)
        console_->unsubscribe(props_sub_);
    if (qemu_closed_)
        g_signal_handler_disconnect(qemu_.get(), qemu_closed_);
    if (listener_closed_)
        g_signal_handler_disconnect(listener_.get(), listener_closed_);
    for (guint id : registrations_)
        g_dbus_connection_unregister_object(listener_.get(), id);
    if (listener_)
        g_dbus_connection_close_sync(listener_.get(), nullptr, nullptr);
    if (qemu_)
        g_dbus_connection_close_sync(qemu_.get(), nullptr, nullptr);
}

void DbusSession::adopt_qemu(GDBusConnection* conn, const char* peer) {
    qemu_.reset(conn);
    console_.emplace(conn, peer, console_id_, cancel_.get());
    watch_closed(conn, qemu_closed_);
}

void DbusSession::open_bus(const std::string& address) {
    GError* raw = nullptr;
    GDBusConnection* conn = g_dbus_connection_new_for_address_sync(
        address.c_str(),
        GDBusConnectionFlags(G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                             G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION),
        nullptr, cancel_.get(), &raw);
    g_autoptr(GError) err = raw;
    if (!conn) {
        observer_.on_unreachable("D-Bus bus " + address + " not reachable (" + err->message + ")");
        return;
    }
    adopt_qemu(conn, qemu_bus_name);
    name_watch_ = g_bus_watch_name_on_connection(
        conn, qemu_bus_name, G_BUS_NAME_WATCHER_FLAGS_NONE,
        [](GDBusConnection*, const gchar*, const gchar* owner, gpointer self) {
            static_cast<DbusSession*>(self)->observer_.on_qemu_found(owner);
        },
        [](GDBusConnection*, const gchar*, gpointer self) {
            static_cast<DbusSession*>(self)->observer_.on_qemu_lost("org.qemu left the bus");
        },
        this, nullptr);
}

void DbusSession::open_p2p(const std::string& qmp_socket) {
    Result<UniqueFd> fd = qmp_add_dbus_client(qmp_socket, call_timeout_ms);
    if (!fd) {
        const int e = fd.error().errnum;
        if (e == ENOENT || e == ECONNREFUSED || e == ECONNRESET || e == ETIMEDOUT)
            observer_.on_unreachable("QMP socket " + qmp_socket + ": " + fd.error().message);
        else
            observer_.on_fatal(Error{"qemu: " + fd.error().message, fd.error().errnum});
        return;
    }
    open_p2p_fd(std::move(*fd));
}

void DbusSession::open_p2p_fd(UniqueFd fd) {
    Result<GObjectPtr<GIOStream>> stream = stream_from_fd(std::move(fd));
    if (!stream) {
        observer_.on_fatal(stream.error());
        return;
    }
    handshake<&DbusSession::on_qemu_connection>(stream->get(),
                                                G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT);
}

void DbusSession::watch_console(ConsoleObserver& observer) {
    props_sub_ = console_->subscribe(observer);
}

void DbusSession::open_listener(ListenerServer& server, std::function<void()> registered) {
    int pair[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) < 0) {
        observer_.on_fatal(Error::from_errno(errno, "qemu: socketpair failed"));
        return;
    }
    UniqueFd ours(pair[0]), theirs(pair[1]);
    Result<GObjectPtr<GIOStream>> stream = stream_from_fd(std::move(ours));
    if (!stream) {
        observer_.on_fatal(stream.error());
        return;
    }
    server_ = &server;
    // QEMU authenticates as the server inside RegisterListener and then calls GetAll on our
    // object: our side must run concurrently (async) and answer it (GDBus does, for a
    // registered object) – a blocking wait here would stall QEMU for 25 s.
    handshake<&DbusSession::on_listener_connection>(
        stream->get(), GDBusConnectionFlags(G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                            G_DBUS_CONNECTION_FLAGS_DELAY_MESSAGE_PROCESSING));

    SessionObserver& observer = observer_;
    Status sent = console_->register_listener(
        theirs.get(), [&observer, registered = std::move(registered)](Status s) {
            if (s)
                registered();
            else
                observer.on_gone("RegisterListener failed: " + s.error().message);
        });
    if (!sent)
        observer_.on_fatal(sent.error());
}

void DbusSession::serve_listener(GDBusConnection* conn) {
    listener_.reset(conn);
    Result<std::vector<guint>> registrations = server_->serve(conn);
    if (!registrations) {
        observer_.on_fatal(registrations.error());
        return;
    }
    registrations_ = std::move(*registrations);
    watch_closed(conn, listener_closed_);
    g_dbus_connection_start_message_processing(conn);
}

void DbusSession::watch_closed(GDBusConnection* conn, guint& id) {
    id = g_signal_connect(conn, "closed",
                          G_CALLBACK(+[](GDBusConnection*, gboolean, GError* error, gpointer self) {
                              static_cast<DbusSession*>(self)->observer_.on_gone(
                                  error ? std::string("connection closed: ") + error->message
                                        : std::string("connection closed"));
                          }),
                          this);
}

} // namespace udmaview::qemu
