// SPDX-License-Identifier: MIT
#include "sources/qemu/qemu_source.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <gio/gio.h>
#include <gio/gunixfdlist.h>
#include <iostream>
#include <map>
#include <optional>
#include <span>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sources/qemu/keymap.h"
#include "sources/qemu/pixman_format.h"
#include "sources/qemu/qmp.h"
#include "sources/qemu/surface.h"
#include "udmaview/clock.h"
#include "udmaview/udmabuf.h"

namespace udmaview::qemu {

namespace {

// Owning pointers for GObjects kept as members (g_autoptr covers locals).
struct GObjectUnref {
    void operator()(gpointer p) const {
        if (p)
            g_object_unref(p);
    }
};
template <typename T> using GObjectPtr = std::unique_ptr<T, GObjectUnref>;

struct MainContextUnref {
    void operator()(GMainContext* c) const {
        if (c)
            g_main_context_unref(c);
    }
};
struct MainLoopUnref {
    void operator()(GMainLoop* l) const {
        if (l)
            g_main_loop_unref(l);
    }
};
struct NodeInfoUnref {
    void operator()(GDBusNodeInfo* n) const {
        if (n)
            g_dbus_node_info_unref(n);
    }
};

constexpr const char* qemu_bus_name = "org.qemu";
constexpr const char* vm_path = "/org/qemu/Display1/VM";
constexpr const char* listener_path = "/org/qemu/Display1/Listener";
constexpr int call_timeout_ms = 5000;
constexpr int size_query_timeout_ms = 500;

// The listener interface as QEMU 7.2 calls it (measured: notes/qemu-dbus-facts.md). GDBus
// checks every incoming call's signature against it before our handler runs.
constexpr const char* listener_xml = R"(<node>
  <interface name="org.qemu.Display1.Listener">
    <method name="Scanout">
      <arg type="u" name="width" direction="in"/>
      <arg type="u" name="height" direction="in"/>
      <arg type="u" name="stride" direction="in"/>
      <arg type="u" name="pixman_format" direction="in"/>
      <arg type="ay" name="data" direction="in"/>
    </method>
    <method name="Update">
      <arg type="i" name="x" direction="in"/>
      <arg type="i" name="y" direction="in"/>
      <arg type="i" name="width" direction="in"/>
      <arg type="i" name="height" direction="in"/>
      <arg type="u" name="stride" direction="in"/>
      <arg type="u" name="pixman_format" direction="in"/>
      <arg type="ay" name="data" direction="in"/>
    </method>
    <method name="ScanoutDMABUF">
      <arg type="h" name="dmabuf" direction="in"/>
      <arg type="u" name="width" direction="in"/>
      <arg type="u" name="height" direction="in"/>
      <arg type="u" name="stride" direction="in"/>
      <arg type="u" name="fourcc" direction="in"/>
      <arg type="t" name="modifier" direction="in"/>
      <arg type="b" name="y0_top" direction="in"/>
    </method>
    <method name="UpdateDMABUF">
      <arg type="i" name="x" direction="in"/>
      <arg type="i" name="y" direction="in"/>
      <arg type="i" name="width" direction="in"/>
      <arg type="i" name="height" direction="in"/>
    </method>
    <method name="Disable"/>
    <method name="MouseSet">
      <arg type="i" name="x" direction="in"/>
      <arg type="i" name="y" direction="in"/>
      <arg type="i" name="on" direction="in"/>
    </method>
    <method name="CursorDefine">
      <arg type="i" name="width" direction="in"/>
      <arg type="i" name="height" direction="in"/>
      <arg type="i" name="hot_x" direction="in"/>
      <arg type="i" name="hot_y" direction="in"/>
      <arg type="ay" name="data" direction="in"/>
    </method>
  </interface>
</node>)";

constexpr int32_t max_cursor_size = 512;

std::string console_path(uint32_t id) {
    return "/org/qemu/Display1/Console_" + std::to_string(id);
}

struct ConsoleInfo {
    uint32_t id = 0;
    std::string label, type;
    uint32_t width = 0, height = 0;
};

} // namespace

Result<QemuOptions> parse_qemu_source(const std::string& spec) {
    QemuOptions o;
    if (spec == "qemu")
        return o;
    if (spec.rfind("qemu:", 0) == 0) {
        o.address = spec.substr(5);
        if (o.address.empty())
            return Error{"--source qemu:ADDRESS: the D-Bus address is empty", EINVAL};
        return o;
    }
    if (spec.rfind("qemu-p2p:", 0) == 0) {
        o.mode = QemuOptions::Mode::P2p;
        o.address = spec.substr(9);
        if (o.address.empty())
            return Error{"--source qemu-p2p:QMP_SOCKET: the QMP socket path is empty", EINVAL};
        return o;
    }
    return Error{"--source " + spec + ": expected qemu, qemu:ADDRESS or qemu-p2p:QMP_SOCKET",
                 EINVAL};
}

// Everything that runs on the GLib thread.
struct QemuSource::Impl {
    QemuSource& src;
    const QemuOptions& opt;
    std::unique_ptr<GMainContext, MainContextUnref> context{g_main_context_new()};
    std::unique_ptr<GMainLoop, MainLoopUnref> loop{g_main_loop_new(context.get(), FALSE)};
    std::unique_ptr<GDBusNodeInfo, NodeInfoUnref> node;
    std::optional<Udmabuf> udmabuf;
    std::string bus_address; // resolved (bus mode)

    // One attachment to one QEMU; replaced on reconnect.
    struct Session {
        GObjectPtr<GCancellable> cancel{g_cancellable_new()};
        GObjectPtr<GDBusConnection> qemu; // bus or p2p connection to QEMU
        GObjectPtr<GDBusConnection> listener;
        const char* peer = nullptr; // bus name (bus mode) or nullptr (p2p)
        guint name_watch = 0, qemu_closed = 0, listener_closed = 0, props_sub = 0;
        guint registration = 0;
        bool attached = false; // QEMU found, listener being set up or running
        bool mouse_absolute = false;
        uint32_t console_width = 0, console_height = 0;
    };
    std::unique_ptr<Session> session;
    guint retry_source = 0;
    bool waiting_reported = false;
    bool ever_attached = false;
    bool ended = false;

    // The picture: either our pixel surface (Scanout/Update) or a received dma-buf.
    std::unique_ptr<Surface> surface;
    std::shared_ptr<const Buffer> dmabuf_buffer;
    std::shared_ptr<const Buffer> shown; // the buffer of the last frame posted
    uint64_t seq = 0;
    CursorState cursor;
    int32_t last_x = 0, last_y = 0; // last absolute pointer position sent

    Impl(QemuSource& s)
        : src(s)
        , opt(s.options_) {}

    // Runs f on the GLib thread (never in the caller's, even before the loop runs).
    void run_in_loop(GSourceFunc f) {
        GSource* idle = g_idle_source_new();
        g_source_set_priority(idle, G_PRIORITY_DEFAULT);
        g_source_set_callback(idle, f, this, nullptr);
        g_source_attach(idle, context.get());
        g_source_unref(idle);
    }

    // --- plumbing -------------------------------------------------------------------------
    void log(const std::string& text) const { std::cerr << "qemu: " << text << "\n"; }
    void reject(const std::string& text) {
        {
            std::lock_guard lock(src.mutex_);
            ++src.stats_.rejected;
        }
        log("rejected " + text);
    }
    template <typename F> void count(F f) {
        std::lock_guard lock(src.mutex_);
        f(src.stats_);
    }
    // copied: bytes this frame cost us (Scanout/Update pixels into our surface; 0 for dma-bufs).
    void post_frame(const std::shared_ptr<const Buffer>& buffer, Region damage,
                    uint64_t copied = 0) {
        Frame frame{++seq, buffer, std::move(damage), now_ns()};
        frame.source_bytes_copied = copied;
        src.post({Kind::Frame, std::move(frame), 0, {}, {}});
        if (shown && shown != buffer) // the old buffer is not used again: outputs drop it
            src.post({Kind::Retire, {}, shown->id(), {}, {}});
        shown = buffer;
    }
    void post_end(Status why) {
        if (ended)
            return;
        ended = true;
        src.post({Kind::End, {}, 0, {}, std::move(why)});
    }

    void run() {
        g_main_context_push_thread_default(context.get());
        GError* raw = nullptr;
        node.reset(g_dbus_node_info_new_for_xml(listener_xml, &raw));
        g_autoptr(GError) err = raw;
        if (!node) {
            post_end(Error{std::string("qemu: listener XML: ") + err->message, EINVAL});
        } else {
            if (opt.use_udmabuf && access(Udmabuf::default_path, F_OK) == 0) {
                Result<Udmabuf> dev = Udmabuf::open();
                if (dev)
                    udmabuf = std::move(*dev);
                else
                    log("no dma-buf for the copied surface: " + dev.error().message);
            }
            connect();
            g_main_loop_run(loop.get());
        }
        end_session();
        // g_source_remove() would look in the default context: ours is private.
        if (retry_source)
            if (GSource* pending = g_main_context_find_source_by_id(context.get(), retry_source))
                g_source_destroy(pending);
        retry_source = 0;
        surface.reset();
        g_main_context_pop_thread_default(context.get());
    }

    // --- attaching ------------------------------------------------------------------------
    void schedule_connect() {
        if (retry_source || ended)
            return;
        GSource* timeout = g_timeout_source_new(opt.retry_ms);
        g_source_set_callback(
            timeout,
            [](gpointer self) -> gboolean {
                auto* impl = static_cast<Impl*>(self);
                impl->retry_source = 0;
                impl->connect();
                return G_SOURCE_REMOVE;
            },
            this, nullptr);
        retry_source = g_source_attach(timeout, context.get());
        g_source_unref(timeout);
    }

    void waiting(const std::string& why) {
        if (!waiting_reported)
            log("waiting for QEMU: " + why + " (retrying every " + std::to_string(opt.retry_ms) +
                " ms; Ctrl+C to give up)");
        waiting_reported = true;
        schedule_connect();
    }

    void connect() {
        if (ended)
            return;
        session = std::make_unique<Session>();
        if (opt.mode == QemuOptions::Mode::P2p)
            connect_p2p();
        else
            connect_bus();
    }

    void connect_bus() {
        GError* raw = nullptr;
        GDBusConnection* conn = g_dbus_connection_new_for_address_sync(
            bus_address.c_str(),
            GDBusConnectionFlags(G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                 G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION),
            nullptr, session->cancel.get(), &raw);
        g_autoptr(GError) err = raw;
        if (!conn) {
            session.reset();
            waiting("D-Bus bus " + bus_address + " not reachable (" + err->message + ")");
            return;
        }
        session->qemu.reset(conn);
        session->peer = qemu_bus_name;
        watch_closed(conn, session->qemu_closed);
        session->name_watch = g_bus_watch_name_on_connection(
            conn, qemu_bus_name, G_BUS_NAME_WATCHER_FLAGS_NONE,
            [](GDBusConnection*, const gchar*, const gchar* owner, gpointer self) {
                auto* impl = static_cast<Impl*>(self);
                if (impl->opt.verbose)
                    impl->log(std::string("org.qemu is owned by ") + owner);
                impl->attach();
            },
            [](GDBusConnection*, const gchar*, gpointer self) {
                auto* impl = static_cast<Impl*>(self);
                if (impl->session && impl->session->attached)
                    impl->gone("org.qemu left the bus");
                else
                    impl->report_waiting("no org.qemu on " + impl->bus_address +
                                         " yet (start QEMU with -display dbus)");
            },
            this, nullptr);
    }

    void report_waiting(const std::string& why) {
        if (!waiting_reported)
            log("waiting for QEMU: " + why + " (Ctrl+C to give up)");
        waiting_reported = true;
    }

    void connect_p2p() {
        Result<UniqueFd> fd = qmp_add_dbus_client(opt.address, call_timeout_ms);
        if (!fd) {
            const int e = fd.error().errnum;
            session.reset();
            if (e == ENOENT || e == ECONNREFUSED || e == ECONNRESET || e == ETIMEDOUT) {
                waiting("QMP socket " + opt.address + ": " + fd.error().message);
                return;
            }
            post_end(Error{"qemu: " + fd.error().message, fd.error().errnum});
            return;
        }
        Result<GObjectPtr<GIOStream>> stream = stream_from_fd(std::move(*fd));
        if (!stream) {
            post_end(stream.error());
            return;
        }
        g_dbus_connection_new(
            stream->get(), nullptr, G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT, nullptr,
            session->cancel.get(),
            [](GObject*, GAsyncResult* res, gpointer self) {
                GError* raw = nullptr;
                GDBusConnection* conn = g_dbus_connection_new_finish(res, &raw);
                g_autoptr(GError) err = raw;
                if (!conn && g_error_matches(err, G_IO_ERROR, G_IO_ERROR_CANCELLED))
                    return;
                auto* impl = static_cast<Impl*>(self);
                if (!conn) {
                    impl->gone(std::string("peer-to-peer D-Bus handshake failed: ") + err->message);
                    return;
                }
                impl->session->qemu.reset(conn);
                impl->watch_closed(conn, impl->session->qemu_closed);
                impl->attach();
            },
            this);
    }

    Result<GObjectPtr<GIOStream>> stream_from_fd(UniqueFd fd) {
        GError* raw = nullptr;
        GSocket* sock = g_socket_new_from_fd(fd.get(), &raw);
        g_autoptr(GError) err = raw;
        if (!sock)
            return Error{std::string("qemu: socket: ") + err->message, EIO};
        (void)fd.release(); // the GSocket owns it now
        GObjectPtr<GSocket> owned(sock);
        return GObjectPtr<GIOStream>(
            G_IO_STREAM(g_socket_connection_factory_create_connection(sock)));
    }

    void watch_closed(GDBusConnection* conn, guint& id) {
        id = g_signal_connect(
            conn, "closed",
            G_CALLBACK(+[](GDBusConnection*, gboolean, GError* error, gpointer self) {
                static_cast<Impl*>(self)->gone(error ? std::string("connection closed: ") +
                                                           error->message
                                                     : std::string("connection closed"));
            }),
            this);
    }

    GVariant* call_sync(const std::string& path, const char* interface, const char* method,
                        GVariant* args, const char* reply_type, std::string& error) {
        GError* raw = nullptr;
        GVariant* reply = g_dbus_connection_call_sync(
            session->qemu.get(), session->peer, path.c_str(), interface, method, args,
            reply_type ? G_VARIANT_TYPE(reply_type) : nullptr, G_DBUS_CALL_FLAGS_NONE,
            call_timeout_ms, session->cancel.get(), &raw);
        g_autoptr(GError) err = raw;
        if (!reply)
            error = std::string(method) + " on " + path + ": " + err->message;
        return reply;
    }

    std::optional<std::vector<uint32_t>> console_ids(std::string& error) {
        g_autoptr(GVariant) reply =
            call_sync(vm_path, "org.freedesktop.DBus.Properties", "Get",
                      g_variant_new("(ss)", "org.qemu.Display1.VM", "ConsoleIDs"), "(v)", error);
        if (!reply)
            return std::nullopt;
        g_autoptr(GVariant) boxed = nullptr;
        g_variant_get(reply, "(v)", &boxed);
        if (!g_variant_is_of_type(boxed, G_VARIANT_TYPE("au"))) {
            error = "ConsoleIDs is not an array of u";
            return std::nullopt;
        }
        gsize n = 0;
        const auto* ids =
            static_cast<const uint32_t*>(g_variant_get_fixed_array(boxed, &n, sizeof(uint32_t)));
        return std::vector<uint32_t>(ids, ids + n);
    }

    ConsoleInfo console_info(uint32_t id) {
        ConsoleInfo info;
        info.id = id;
        std::string error;
        g_autoptr(GVariant) reply =
            call_sync(console_path(id), "org.freedesktop.DBus.Properties", "GetAll",
                      g_variant_new("(s)", "org.qemu.Display1.Console"), "(a{sv})", error);
        if (!reply)
            return info;
        g_autoptr(GVariant) dict = g_variant_get_child_value(reply, 0);
        const gchar* s = nullptr;
        if (g_variant_lookup(dict, "Label", "&s", &s))
            info.label = s;
        if (g_variant_lookup(dict, "Type", "&s", &s))
            info.type = s;
        g_variant_lookup(dict, "Width", "u", &info.width);
        g_variant_lookup(dict, "Height", "u", &info.height);
        return info;
    }

    std::string describe_consoles(const std::vector<uint32_t>& ids) {
        std::string text;
        for (uint32_t id : ids) {
            ConsoleInfo c = console_info(id);
            text += "\n  console " + std::to_string(id) + ": " + c.type + " \"" + c.label + "\" " +
                    std::to_string(c.width) + "x" + std::to_string(c.height);
        }
        return text;
    }

    void attach() {
        Session& s = *session;
        if (s.attached)
            return;
        std::string error;
        std::optional<std::vector<uint32_t>> ids = console_ids(error);
        if (!ids) {
            gone("cannot list consoles: " + error);
            return;
        }
        bool found = false;
        for (uint32_t id : *ids)
            found = found || id == opt.console;
        if (!found) {
            post_end(Error{"qemu: --console " + std::to_string(opt.console) +
                               ": no such console; QEMU has:" + describe_consoles(*ids),
                           ENOENT});
            return;
        }
        if (opt.verbose)
            log("consoles:" + describe_consoles(*ids));
        s.attached = true;
        ever_attached = true;
        waiting_reported = false;
        count([](QemuStats& st) { ++st.sessions; });

        ConsoleInfo info = console_info(opt.console);
        s.console_width = info.width;
        s.console_height = info.height;
        s.mouse_absolute = read_mouse_absolute();
        detect_map_interface();
        s.props_sub = g_dbus_connection_signal_subscribe(
            s.qemu.get(), s.peer, "org.freedesktop.DBus.Properties", "PropertiesChanged",
            console_path(opt.console).c_str(), nullptr, G_DBUS_SIGNAL_FLAGS_NONE,
            [](GDBusConnection*, const gchar*, const gchar*, const gchar*, const gchar*,
               GVariant* params,
               gpointer self) { static_cast<Impl*>(self)->on_properties_changed(params); },
            this, nullptr);
        register_listener();
    }

    bool read_mouse_absolute() {
        std::string error;
        g_autoptr(GVariant) reply =
            call_sync(console_path(opt.console), "org.freedesktop.DBus.Properties", "Get",
                      g_variant_new("(ss)", "org.qemu.Display1.Mouse", "IsAbsolute"), "(v)", error);
        if (!reply)
            return false;
        g_autoptr(GVariant) v = nullptr;
        g_variant_get(reply, "(v)", &v);
        return g_variant_is_of_type(v, G_VARIANT_TYPE_BOOLEAN) && g_variant_get_boolean(v);
    }

    // QEMU >= 9.2 can share the guest surface's memfd (ScanoutMap/UpdateMap) with listeners
    // that list org.qemu.Display1.Listener.Unix.Map in their "Interfaces" property; QEMU 7.2
    // has neither. We look for any mention in QEMU's introspection of the console object and
    // say what we do; udmaview does not advertise the interface, so such a QEMU keeps sending
    // Scanout/Update.
    void detect_map_interface() {
        std::string error;
        g_autoptr(GVariant) reply =
            call_sync(console_path(opt.console), "org.freedesktop.DBus.Introspectable",
                      "Introspect", nullptr, "(s)", error);
        const gchar* xml = nullptr;
        if (reply)
            g_variant_get(reply, "(&s)", &xml);
        const bool has_map =
            xml && (std::strstr(xml, "ScanoutMap") || std::strstr(xml, "Listener.Unix.Map"));
        if (opt.verbose || has_map)
            log(has_map ? "this QEMU mentions ScanoutMap (Listener.Unix.Map), which udmaview "
                          "does not implement yet: using Scanout/Update (one copy per update)"
                        : "no ScanoutMap/UpdateMap in this QEMU (QEMU 7.2 has none): "
                          "Scanout/Update pixels are copied once into our memfd surface");
    }

    void on_properties_changed(GVariant* params) {
        const gchar* interface = nullptr;
        g_autoptr(GVariant) changed = nullptr;
        g_autoptr(GVariant) invalidated = nullptr;
        if (!g_variant_is_of_type(params, G_VARIANT_TYPE("(sa{sv}as)")))
            return;
        g_variant_get(params, "(&s@a{sv}@as)", &interface, &changed, &invalidated);
        if (!session)
            return;
        if (std::strcmp(interface, "org.qemu.Display1.Mouse") == 0) {
            gboolean abs = FALSE;
            if (g_variant_lookup(changed, "IsAbsolute", "b", &abs))
                session->mouse_absolute = abs;
            return;
        }
        if (std::strcmp(interface, "org.qemu.Display1.Console") != 0)
            return;
        uint32_t w = session->console_width, h = session->console_height;
        g_variant_lookup(changed, "Width", "u", &w);
        g_variant_lookup(changed, "Height", "u", &h);
        if (w == session->console_width && h == session->console_height)
            return;
        session->console_width = w;
        session->console_height = h;
        if (opt.verbose)
            log("console size now " + std::to_string(w) + "x" + std::to_string(h));
        if (surface && (surface->layout().width != w || surface->layout().height != h))
            resize_surface(w, h, surface->layout().format);
    }

    // A new pixel surface of the new size (its first Update posts it; the old buffer is
    // retired then).
    bool resize_surface(uint32_t w, uint32_t h, const Format* format) {
        if (w == 0 || h == 0 || uint64_t(w) * h * format->bytes_per_pixel > max_surface_bytes) {
            reject("console size " + std::to_string(w) + "x" + std::to_string(h));
            return false;
        }
        Result<std::unique_ptr<Surface>> made =
            Surface::create(w, h, format, udmabuf ? &*udmabuf : nullptr);
        if (!made) {
            reject("surface " + std::to_string(w) + "x" + std::to_string(h) + ": " +
                   made.error().message);
            return false;
        }
        surface = std::move(*made);
        dmabuf_buffer.reset();
        count([](QemuStats& st) { ++st.surfaces; });
        return true;
    }

    void register_listener() {
        Session& s = *session;
        int pair[2];
        if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) < 0) {
            post_end(Error::from_errno(errno, "qemu: socketpair failed"));
            return;
        }
        UniqueFd ours(pair[0]), theirs(pair[1]);
        Result<GObjectPtr<GIOStream>> stream = stream_from_fd(std::move(ours));
        if (!stream) {
            post_end(stream.error());
            return;
        }
        // QEMU authenticates as the server inside RegisterListener and then calls GetAll on
        // our object: our side must run concurrently (async) and answer it (GDBus does, for
        // a registered object) – a blocking wait here would stall QEMU for 25 s.
        g_dbus_connection_new(
            stream->get(), nullptr,
            GDBusConnectionFlags(G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                 G_DBUS_CONNECTION_FLAGS_DELAY_MESSAGE_PROCESSING),
            nullptr, s.cancel.get(),
            [](GObject*, GAsyncResult* res, gpointer self) {
                GError* raw = nullptr;
                GDBusConnection* conn = g_dbus_connection_new_finish(res, &raw);
                g_autoptr(GError) err = raw;
                if (!conn && g_error_matches(err, G_IO_ERROR, G_IO_ERROR_CANCELLED))
                    return;
                auto* impl = static_cast<Impl*>(self);
                if (!conn) {
                    impl->gone(std::string("listener connection failed: ") + err->message);
                    return;
                }
                impl->serve_listener(conn);
            },
            this);

        g_autoptr(GUnixFDList) fds = g_unix_fd_list_new();
        GError* raw = nullptr;
        const int index = g_unix_fd_list_append(fds, theirs.get(), &raw);
        g_autoptr(GError) err = raw;
        if (index < 0) {
            post_end(Error{std::string("qemu: fd list: ") + err->message, EIO});
            return;
        }
        g_dbus_connection_call_with_unix_fd_list(
            s.qemu.get(), s.peer, console_path(opt.console).c_str(), "org.qemu.Display1.Console",
            "RegisterListener", g_variant_new("(h)", index), nullptr, G_DBUS_CALL_FLAGS_NONE,
            call_timeout_ms * 6, fds, s.cancel.get(),
            [](GObject* conn, GAsyncResult* res, gpointer self) {
                GError* raw = nullptr;
                g_autoptr(GVariant) reply = g_dbus_connection_call_with_unix_fd_list_finish(
                    G_DBUS_CONNECTION(conn), nullptr, res, &raw);
                g_autoptr(GError) err = raw;
                if (!reply && g_error_matches(err, G_IO_ERROR, G_IO_ERROR_CANCELLED))
                    return;
                auto* impl = static_cast<Impl*>(self);
                if (!reply)
                    impl->gone(std::string("RegisterListener failed: ") + err->message);
                else
                    impl->log("attached to console " + std::to_string(impl->opt.console) +
                              (impl->opt.mode == QemuOptions::Mode::P2p
                                   ? " (peer-to-peer via " + impl->opt.address + ")"
                                   : " (bus " + impl->bus_address + ")"));
            },
            this);
    }

    void serve_listener(GDBusConnection* conn) {
        Session& s = *session;
        s.listener.reset(conn);
        static const GDBusInterfaceVTable vtable = {
            [](GDBusConnection*, const gchar*, const gchar*, const gchar*, const gchar* method,
               GVariant* params, GDBusMethodInvocation* inv,
               gpointer self) { static_cast<Impl*>(self)->on_listener_call(method, params, inv); },
            nullptr,
            nullptr,
            {}};
        GError* raw = nullptr;
        s.registration = g_dbus_connection_register_object(conn, listener_path, node->interfaces[0],
                                                           &vtable, this, nullptr, &raw);
        g_autoptr(GError) err = raw;
        if (!s.registration) {
            post_end(Error{std::string("qemu: cannot serve the listener: ") + err->message, EIO});
            return;
        }
        watch_closed(conn, s.listener_closed);
        g_dbus_connection_start_message_processing(conn);
    }

    // --- QEMU gone ------------------------------------------------------------------------
    void end_session() {
        if (!session)
            return;
        Session& s = *session;
        g_cancellable_cancel(s.cancel.get());
        if (s.name_watch)
            g_bus_unwatch_name(s.name_watch);
        if (s.props_sub)
            g_dbus_connection_signal_unsubscribe(s.qemu.get(), s.props_sub);
        if (s.qemu_closed)
            g_signal_handler_disconnect(s.qemu.get(), s.qemu_closed);
        if (s.listener_closed)
            g_signal_handler_disconnect(s.listener.get(), s.listener_closed);
        if (s.registration)
            g_dbus_connection_unregister_object(s.listener.get(), s.registration);
        if (s.listener)
            g_dbus_connection_close_sync(s.listener.get(), nullptr, nullptr);
        if (s.qemu)
            g_dbus_connection_close_sync(s.qemu.get(), nullptr, nullptr);
        session.reset();
    }

    void gone(const std::string& why) {
        if (!session)
            return;
        const bool was_attached = session->attached;
        end_session();
        if (ended)
            return;
        if (!was_attached && !ever_attached) {
            waiting(why);
            return;
        }
        if (opt.reconnect) {
            log("QEMU went away (" + why + "); --reconnect: waiting for it to come back");
            waiting_reported = true;
            schedule_connect();
            return;
        }
        log("QEMU went away (" + why + "); the last picture stays until udmaview ends");
        post_end({});
    }

    // --- the listener ---------------------------------------------------------------------
    void on_listener_call(const gchar* method, GVariant* params, GDBusMethodInvocation* inv) {
        std::string problem;
        if (std::strcmp(method, "Scanout") == 0)
            problem = on_scanout(params);
        else if (std::strcmp(method, "Update") == 0)
            problem = on_update(params);
        else if (std::strcmp(method, "ScanoutDMABUF") == 0)
            problem = on_scanout_dmabuf(params, inv);
        else if (std::strcmp(method, "UpdateDMABUF") == 0)
            problem = on_update_dmabuf(params);
        else if (std::strcmp(method, "Disable") == 0) {
            // QEMU 7.2 also sends it right after a new ScanoutDMABUF to release the previous
            // dma-buf: keep showing the last picture.
            if (opt.verbose)
                log("Disable");
        } else if (std::strcmp(method, "MouseSet") == 0) {
            gint32 x, y, on;
            g_variant_get(params, "(iii)", &x, &y, &on);
            cursor.x = x;
            cursor.y = y;
            cursor.visible = on != 0;
            src.post({Kind::Cursor, {}, 0, cursor, {}});
        } else if (std::strcmp(method, "CursorDefine") == 0)
            problem = on_cursor_define(params);
        if (problem.empty()) {
            g_dbus_method_invocation_return_value(inv, nullptr);
        } else {
            reject(problem);
            g_dbus_method_invocation_return_dbus_error(inv, "org.qemu.Display1.Error.Invalid",
                                                       problem.c_str());
        }
    }

    static std::span<const uint8_t> bytes_of(GVariant* ay) {
        gsize n = 0;
        const void* data = g_variant_get_fixed_array(ay, &n, 1);
        return {static_cast<const uint8_t*>(data), n};
    }

    std::string on_scanout(GVariant* params) {
        guint32 w, h, stride, pixman;
        g_autoptr(GVariant) data = nullptr;
        g_variant_get(params, "(uuuu@ay)", &w, &h, &stride, &pixman, &data);
        std::span<const uint8_t> bytes = bytes_of(data);
        Result<const Format*> format = check_scanout(w, h, stride, pixman, bytes.size());
        if (!format)
            return format.error().message;
        if (!surface || surface->layout().width != w || surface->layout().height != h ||
            surface->layout().format != *format) {
            if (!resize_surface(w, h, *format))
                return "Scanout: no surface";
        }
        dmabuf_buffer.reset();
        if (session) {
            session->console_width = w;
            session->console_height = h;
        }
        const uint64_t copied =
            surface->copy_rect({0, 0, int32_t(w), int32_t(h)}, bytes.data(), stride);
        count([&](QemuStats& st) {
            ++st.scanouts;
            st.bytes_copied += copied;
        });
        post_frame(surface->buffer(), Region(surface->layout().bounds()), copied);
        return {};
    }

    std::string on_update(GVariant* params) {
        gint32 x, y, w, h;
        guint32 stride, pixman;
        g_autoptr(GVariant) data = nullptr;
        g_variant_get(params, "(iiiiuu@ay)", &x, &y, &w, &h, &stride, &pixman, &data);
        std::span<const uint8_t> bytes = bytes_of(data);
        const Rect rect{x, y, w, h};
        const Format* format = format_from_pixman(pixman);
        if (surface && format && !rect.empty() &&
            (format != surface->layout().format ||
             !rect_inside(rect, surface->layout().width, surface->layout().height)))
            follow_console(rect, format); // a change may come without a Scanout
        if (!surface)
            return "Update " + rect.to_string() + ": no surface yet (no Scanout)";
        if (Status s = check_update(surface->layout(), rect, stride, pixman, bytes.size()); !s)
            return s.error().message;
        const uint64_t copied = surface->copy_rect(rect, bytes.data(), stride);
        count([&](QemuStats& st) {
            ++st.updates;
            st.bytes_copied += copied;
        });
        post_frame(surface->buffer(), Region(rect), copied);
        return {};
    }

    // An Update that does not fit: QEMU 7.2 announces some size changes (SeaBIOS 640x480 →
    // 720x400 text mode) only with the console's PropertiesChanged, which travels on the
    // other connection (through the bus daemon in bus mode) and was measured to arrive after
    // the first Updates of the new size. Follow a known new size; else ask QEMU for the size
    // right away, with a short timeout: QEMU sends Updates without waiting for us, so it
    // answers at once; a peer that does not answer costs at most that timeout per message.
    // A format change is followed only for an Update that covers the whole console (anything
    // else would leave the rest of the new surface black).
    void follow_console(const Rect& rect, const Format* format) {
        if (!session || !session->qemu)
            return;
        uint32_t w = session->console_width, h = session->console_height;
        if (!rect_inside(rect, w, h)) {
            if (rect.x < 0 || rect.y < 0 || rect.empty() || int64_t(rect.x) + rect.w > 16384 ||
                int64_t(rect.y) + rect.h > 16384)
                return; // no console can hold it
            GError* raw = nullptr;
            g_autoptr(GVariant) reply = g_dbus_connection_call_sync(
                session->qemu.get(), session->peer, console_path(opt.console).c_str(),
                "org.freedesktop.DBus.Properties", "GetAll",
                g_variant_new("(s)", "org.qemu.Display1.Console"), G_VARIANT_TYPE("(a{sv})"),
                G_DBUS_CALL_FLAGS_NONE, size_query_timeout_ms, session->cancel.get(), &raw);
            g_autoptr(GError) err = raw;
            if (!reply)
                return;
            g_autoptr(GVariant) dict = g_variant_get_child_value(reply, 0);
            g_variant_lookup(dict, "Width", "u", &w);
            g_variant_lookup(dict, "Height", "u", &h);
            session->console_width = w;
            session->console_height = h;
        }
        if (!rect_inside(rect, w, h))
            return;
        const bool new_format = format != surface->layout().format;
        if (new_format &&
            !(rect.x == 0 && rect.y == 0 && uint32_t(rect.w) == w && uint32_t(rect.h) == h))
            return;
        if (new_format || w != surface->layout().width || h != surface->layout().height) {
            if (opt.verbose)
                log("console now " + std::to_string(w) + "x" + std::to_string(h) + " " +
                    std::string(format->name));
            resize_surface(w, h, format);
        }
    }

    std::string on_scanout_dmabuf(GVariant* params, GDBusMethodInvocation* inv) {
        gint32 handle;
        guint32 w, h, stride, fourcc;
        guint64 modifier;
        gboolean y0_top;
        g_variant_get(params, "(huuuutb)", &handle, &w, &h, &stride, &fourcc, &modifier, &y0_top);
        GUnixFDList* fds =
            g_dbus_message_get_unix_fd_list(g_dbus_method_invocation_get_message(inv));
        if (!fds || handle < 0 || handle >= g_unix_fd_list_get_length(fds))
            return "ScanoutDMABUF: no fd passed with handle " + std::to_string(handle);
        GError* raw = nullptr;
        UniqueFd fd(g_unix_fd_list_get(fds, handle, &raw)); // a dup we own
        g_autoptr(GError) err = raw;
        if (!fd)
            return std::string("ScanoutDMABUF: ") + err->message;
        Result<DmaBuf> dmabuf = DmaBuf::adopt(std::move(fd));
        if (!dmabuf)
            return "ScanoutDMABUF: " + dmabuf.error().message;
        Result<Layout> layout =
            check_dmabuf(w, h, stride, fourcc, modifier, y0_top, dmabuf->size());
        if (!layout)
            return layout.error().message;
        dmabuf_buffer = std::make_shared<const Buffer>(*layout, std::vector<Backing>{},
                                                       std::move(*dmabuf), "qemu ScanoutDMABUF");
        surface.reset();
        count([](QemuStats& st) { ++st.dmabuf_scanouts; });
        post_frame(dmabuf_buffer, Region(layout->bounds()));
        return {};
    }

    std::string on_update_dmabuf(GVariant* params) {
        gint32 x, y, w, h;
        g_variant_get(params, "(iiii)", &x, &y, &w, &h);
        const Rect rect{x, y, w, h};
        if (!dmabuf_buffer)
            return "UpdateDMABUF " + rect.to_string() + ": no dma-buf scanout";
        if (!rect_inside(rect, dmabuf_buffer->layout().width, dmabuf_buffer->layout().height))
            return "UpdateDMABUF " + rect.to_string() + ": outside the " +
                   dmabuf_buffer->layout().to_string() + " dma-buf";
        count([](QemuStats& st) { ++st.dmabuf_updates; });
        post_frame(dmabuf_buffer, Region(rect));
        return {};
    }

    std::string on_cursor_define(GVariant* params) {
        gint32 w, h, hot_x, hot_y;
        g_autoptr(GVariant) data = nullptr;
        g_variant_get(params, "(iiii@ay)", &w, &h, &hot_x, &hot_y, &data);
        std::span<const uint8_t> bytes = bytes_of(data);
        const std::string what = "CursorDefine " + std::to_string(w) + "x" + std::to_string(h);
        if (w <= 0 || h <= 0 || w > max_cursor_size || h > max_cursor_size)
            return what + ": size out of 1.." + std::to_string(max_cursor_size);
        if (bytes.size() < uint64_t(w) * uint64_t(h) * 4)
            return what + ": " + std::to_string(bytes.size()) + " data bytes, need w × h × 4";
        auto image = std::make_shared<CursorImage>();
        image->width = uint32_t(w);
        image->height = uint32_t(h);
        image->hot_x = hot_x;
        image->hot_y = hot_y;
        image->pixels.resize(size_t(w) * size_t(h));
        std::memcpy(image->pixels.data(), bytes.data(), image->pixels.size() * 4);
        cursor.image = std::move(image);
        src.post({Kind::Cursor, {}, 0, cursor, {}});
        return {};
    }

    // --- input ----------------------------------------------------------------------------
    void call_async(const char* interface, const char* method, GVariant* args) {
        if (!session || !session->attached || !session->qemu)
            return;
        count([](QemuStats& st) { ++st.inputs_sent; });
        struct Ctx {
            Impl* impl;
            std::string what;
        };
        auto* ctx = new Ctx{this, std::string(interface) + "." + method};
        g_dbus_connection_call(
            session->qemu.get(), session->peer, console_path(opt.console).c_str(), interface,
            method, args, nullptr, G_DBUS_CALL_FLAGS_NONE, call_timeout_ms, session->cancel.get(),
            [](GObject* conn, GAsyncResult* res, gpointer data) {
                std::unique_ptr<Ctx> ctx(static_cast<Ctx*>(data));
                GError* raw = nullptr;
                g_autoptr(GVariant) reply =
                    g_dbus_connection_call_finish(G_DBUS_CONNECTION(conn), res, &raw);
                g_autoptr(GError) err = raw;
                if (!reply && !g_error_matches(err, G_IO_ERROR, G_IO_ERROR_CANCELLED))
                    ctx->impl->log(ctx->what + " failed: " + err->message);
            },
            ctx);
    }

    void send(const InputEvent& event) {
        if (!session || !session->attached)
            return;
        if (const auto* key = std::get_if<KeyEvent>(&event)) {
            const uint32_t qnum = linux_key_to_qnum(key->code);
            if (!qnum) {
                if (opt.verbose)
                    log("key " + std::to_string(key->code) + " has no PC scancode; dropped");
                return;
            }
            call_async("org.qemu.Display1.Keyboard", key->pressed ? "Press" : "Release",
                       g_variant_new("(u)", qnum));
        } else if (const auto* move = std::get_if<PointerMove>(&event)) {
            move_to(move->x, move->y, move->x - last_x, move->y - last_y);
        } else if (const auto* motion = std::get_if<PointerMotion>(&event)) {
            move_to(last_x + motion->dx, last_y + motion->dy, motion->dx, motion->dy);
        } else if (const auto* button = std::get_if<PointerButton>(&event)) {
            const int b = linux_button_to_qemu(button->code);
            if (b >= 0)
                call_async("org.qemu.Display1.Mouse", button->pressed ? "Press" : "Release",
                           g_variant_new("(u)", uint32_t(b)));
        } else if (const auto* wheel = std::get_if<PointerWheel>(&event)) {
            const uint32_t b = wheel->dy > 0 ? qemu_button_wheel_up : qemu_button_wheel_down;
            for (int32_t i = 0; i < std::abs(wheel->dy) && i < 32; ++i) {
                call_async("org.qemu.Display1.Mouse", "Press", g_variant_new("(u)", b));
                call_async("org.qemu.Display1.Mouse", "Release", g_variant_new("(u)", b));
            }
        }
    }

    void move_to(int32_t x, int32_t y, int32_t dx, int32_t dy) {
        const Layout* l = shown ? &shown->layout() : nullptr;
        const int32_t max_x = l ? int32_t(l->width) - 1 : INT32_MAX;
        const int32_t max_y = l ? int32_t(l->height) - 1 : INT32_MAX;
        last_x = std::clamp(x, 0, std::max(max_x, 0));
        last_y = std::clamp(y, 0, std::max(max_y, 0));
        if (session->mouse_absolute)
            call_async("org.qemu.Display1.Mouse", "SetAbsPosition",
                       g_variant_new("(uu)", uint32_t(last_x), uint32_t(last_y)));
        else if (dx || dy)
            call_async("org.qemu.Display1.Mouse", "RelMotion", g_variant_new("(ii)", dx, dy));
    }
};

QemuSource::QemuSource(QemuOptions options)
    : options_(std::move(options)) {}

QemuSource::~QemuSource() {
    stop();
}

std::string QemuSource::name() const {
    return options_.mode == QemuOptions::Mode::P2p
               ? "qemu-p2p " + options_.address
               : "qemu " +
                     (options_.address.empty() ? std::string("session bus") : options_.address);
}

Status QemuSource::start() {
    if (thread_.joinable())
        return {};
    event_ = UniqueFd(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
    if (!event_)
        return Error::from_errno(errno, "qemu: eventfd failed");
    impl_ = std::make_unique<Impl>(*this);
    if (options_.mode == QemuOptions::Mode::Bus) {
        if (options_.address.empty()) {
            GError* raw = nullptr;
            gchar* address = g_dbus_address_get_for_bus_sync(G_BUS_TYPE_SESSION, nullptr, &raw);
            g_autoptr(GError) err = raw;
            if (!address)
                return Error{std::string("qemu: no session bus (") + err->message +
                                 "): set DBUS_SESSION_BUS_ADDRESS or use --source qemu:ADDRESS",
                             ENOENT};
            impl_->bus_address = address;
            g_free(address);
        } else {
            impl_->bus_address = options_.address;
        }
        if (!g_dbus_is_address(impl_->bus_address.c_str()))
            return Error{"qemu: \"" + impl_->bus_address +
                             "\" is not a D-Bus address (e.g. unix:path=/run/user/1000/bus)",
                         EINVAL};
    }
    thread_ = std::thread([this] { impl_->run(); });
    return {};
}

void QemuSource::stop() {
    if (!thread_.joinable())
        return;
    impl_->run_in_loop([](gpointer self) -> gboolean {
        auto* impl = static_cast<Impl*>(self);
        impl->ended = true;
        g_main_loop_quit(impl->loop.get());
        return G_SOURCE_REMOVE;
    });
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

void QemuSource::post(Event event) {
    {
        std::lock_guard lock(mutex_);
        ready_.push_back(std::move(event));
    }
    const uint64_t one = 1;
    [[maybe_unused]] ssize_t ignored = ::write(event_.get(), &one, sizeof one);
}

void QemuSource::dispatch(SourceSink& sink) {
    uint64_t n;
    [[maybe_unused]] ssize_t ignored = ::read(event_.get(), &n, sizeof n);
    std::vector<Event> events;
    {
        std::lock_guard lock(mutex_);
        events.swap(ready_);
    }
    for (Event& e : events) {
        if (end_reported_)
            break;
        switch (e.kind) {
        case Kind::Frame:
            sink.on_frame(std::move(e.frame));
            break;
        case Kind::Retire:
            sink.on_buffer_retired(e.retired);
            break;
        case Kind::Cursor:
            sink.on_cursor(e.cursor);
            break;
        case Kind::End:
            end_reported_ = true;
            sink.on_source_end(e.status);
            break;
        }
    }
}

void QemuSource::send_input(const InputEvent& event) {
    if (!impl_ || !thread_.joinable())
        return;
    {
        std::lock_guard lock(mutex_);
        if (input_.size() > 4096) // the guest is not keeping up: drop the oldest
            input_.pop_front();
        input_.push_back(event);
    }
    impl_->run_in_loop([](gpointer self) -> gboolean {
        auto* impl = static_cast<Impl*>(self);
        std::deque<InputEvent> events;
        {
            std::lock_guard lock(impl->src.mutex_);
            events.swap(impl->src.input_);
        }
        for (const InputEvent& e : events)
            impl->send(e);
        return G_SOURCE_REMOVE;
    });
}

QemuStats QemuSource::stats() const {
    std::lock_guard lock(mutex_);
    return stats_;
}

} // namespace udmaview::qemu
