// SPDX-License-Identifier: MIT
#include "sources/qemu/console_proxy.h"

#include <cerrno>
#include <cstring>
#include <gio/gunixfdlist.h>
#include <memory>

#include "sources/qemu/glib_ptr.h"
#include "sources/qemu/qemu_report.h"

namespace udmaview::qemu {

namespace {

constexpr const char* vm_path = "/org/qemu/Display1/VM";

Result<GVariantPtr> call_sync(GDBusConnection* conn, const char* peer, const std::string& path,
                              const char* interface, const char* method, GVariant* args,
                              const char* reply_type, GCancellable* cancel,
                              int timeout_ms = call_timeout_ms) {
    GError* raw = nullptr;
    GVariantPtr reply(g_dbus_connection_call_sync(conn, peer, path.c_str(), interface, method, args,
                                                  reply_type ? G_VARIANT_TYPE(reply_type) : nullptr,
                                                  G_DBUS_CALL_FLAGS_NONE, timeout_ms, cancel,
                                                  &raw));
    g_autoptr(GError) err = raw;
    if (!reply)
        return Error{std::string(method) + " on " + path + ": " + err->message, EIO};
    return reply;
}

} // namespace

std::string console_path(uint32_t id) {
    return "/org/qemu/Display1/Console_" + std::to_string(id);
}

Result<std::vector<uint32_t>> ConsoleProxy::console_ids() const {
    Result<GVariantPtr> reply =
        call_sync(conn_, peer_, vm_path, "org.freedesktop.DBus.Properties", "Get",
                  g_variant_new("(ss)", "org.qemu.Display1.VM", "ConsoleIDs"), "(v)", cancel_);
    if (!reply)
        return reply.error();
    g_autoptr(GVariant) boxed = nullptr;
    g_variant_get(reply->get(), "(v)", &boxed);
    if (!g_variant_is_of_type(boxed, G_VARIANT_TYPE("au")))
        return Error{"ConsoleIDs is not an array of u", EPROTO};
    gsize n = 0;
    const auto* ids =
        static_cast<const uint32_t*>(g_variant_get_fixed_array(boxed, &n, sizeof(uint32_t)));
    return std::vector<uint32_t>(ids, ids + n);
}

ConsoleInfo ConsoleProxy::info(uint32_t id) const {
    ConsoleInfo info;
    info.id = id;
    Result<GVariantPtr> reply =
        call_sync(conn_, peer_, console_path(id), "org.freedesktop.DBus.Properties", "GetAll",
                  g_variant_new("(s)", "org.qemu.Display1.Console"), "(a{sv})", cancel_);
    if (!reply)
        return info;
    g_autoptr(GVariant) dict = g_variant_get_child_value(reply->get(), 0);
    const gchar* s = nullptr;
    if (g_variant_lookup(dict, "Label", "&s", &s))
        info.label = s;
    if (g_variant_lookup(dict, "Type", "&s", &s))
        info.type = s;
    g_variant_lookup(dict, "Width", "u", &info.width);
    g_variant_lookup(dict, "Height", "u", &info.height);
    return info;
}

std::string ConsoleProxy::describe(const std::vector<uint32_t>& ids) const {
    std::string text;
    for (uint32_t id : ids) {
        ConsoleInfo c = info(id);
        text += "\n  console " + std::to_string(id) + ": " + c.type + " \"" + c.label + "\" " +
                std::to_string(c.width) + "x" + std::to_string(c.height);
    }
    return text;
}

bool ConsoleProxy::mouse_absolute() const {
    Result<GVariantPtr> reply =
        call_sync(conn_, peer_, console_path(console_), "org.freedesktop.DBus.Properties", "Get",
                  g_variant_new("(ss)", "org.qemu.Display1.Mouse", "IsAbsolute"), "(v)", cancel_);
    if (!reply)
        return false;
    g_autoptr(GVariant) v = nullptr;
    g_variant_get(reply->get(), "(v)", &v);
    return g_variant_is_of_type(v, G_VARIANT_TYPE_BOOLEAN) && g_variant_get_boolean(v);
}

std::optional<ConsoleSize> ConsoleProxy::query_size(int timeout_ms) const {
    Result<GVariantPtr> reply = call_sync(
        conn_, peer_, console_path(console_), "org.freedesktop.DBus.Properties", "GetAll",
        g_variant_new("(s)", "org.qemu.Display1.Console"), "(a{sv})", cancel_, timeout_ms);
    if (!reply)
        return std::nullopt;
    g_autoptr(GVariant) dict = g_variant_get_child_value(reply->get(), 0);
    ConsoleSize size;
    g_variant_lookup(dict, "Width", "u", &size.width);
    g_variant_lookup(dict, "Height", "u", &size.height);
    return size;
}

guint ConsoleProxy::subscribe(ConsoleObserver& observer) const {
    return g_dbus_connection_signal_subscribe(
        conn_, peer_, "org.freedesktop.DBus.Properties", "PropertiesChanged",
        console_path(console_).c_str(), nullptr, G_DBUS_SIGNAL_FLAGS_NONE,
        [](GDBusConnection*, const gchar*, const gchar*, const gchar*, const gchar*,
           GVariant* params, gpointer data) {
            if (!g_variant_is_of_type(params, G_VARIANT_TYPE("(sa{sv}as)")))
                return;
            const gchar* interface = nullptr;
            g_autoptr(GVariant) changed = nullptr;
            g_autoptr(GVariant) invalidated = nullptr;
            g_variant_get(params, "(&s@a{sv}@as)", &interface, &changed, &invalidated);
            ConsoleChange change;
            if (std::strcmp(interface, "org.qemu.Display1.Mouse") == 0) {
                gboolean abs = FALSE;
                if (g_variant_lookup(changed, "IsAbsolute", "b", &abs))
                    change.mouse_absolute = abs;
            } else if (std::strcmp(interface, "org.qemu.Display1.Console") == 0) {
                uint32_t v = 0;
                if (g_variant_lookup(changed, "Width", "u", &v))
                    change.width = v;
                if (g_variant_lookup(changed, "Height", "u", &v))
                    change.height = v;
            } else {
                return;
            }
            static_cast<ConsoleObserver*>(data)->on_console_change(change);
        },
        &observer, nullptr);
}

void ConsoleProxy::unsubscribe(guint id) const {
    g_dbus_connection_signal_unsubscribe(conn_, id);
}

Status ConsoleProxy::register_listener(int fd, std::function<void(Status)> done) const {
    g_autoptr(GUnixFDList) fds = g_unix_fd_list_new();
    GError* raw = nullptr;
    const int index = g_unix_fd_list_append(fds, fd, &raw);
    g_autoptr(GError) err = raw;
    if (index < 0)
        return Error{std::string("qemu: fd list: ") + err->message, EIO};
    // QEMU authenticates our listener connection before it answers: allow for a slow guest.
    call("org.qemu.Display1.Console", "RegisterListener", g_variant_new("(h)", index), fds,
         call_timeout_ms * 6, std::move(done));
    return {};
}

void ConsoleProxy::set_ui_info(const WantedSize& size, std::function<void(Status)> done) const {
    const auto mm = [](uint32_t v) {
        return guint16(v > 0xffff ? 0xffff : v);
    };
    call("org.qemu.Display1.Console", "SetUIInfo",
         g_variant_new("(qqiiuu)", mm(size.width_mm), mm(size.height_mm), 0, 0, size.width,
                       size.height),
         nullptr, call_timeout_ms, std::move(done));
}

void ConsoleProxy::call_async(const char* interface, const char* method, GVariant* args) const {
    std::string what = std::string(interface) + "." + method;
    call(interface, method, args, nullptr, call_timeout_ms, [what](Status s) {
        if (!s)
            log_line(what + " failed: " + s.error().message);
    });
}

void ConsoleProxy::call(const char* interface, const char* method, GVariant* args, GUnixFDList* fds,
                        int timeout_ms, std::function<void(Status)> done) const {
    using Done = std::function<void(Status)>;
    // GIO calls back exactly once, cancelled or not: the callback owns done from then on.
    g_dbus_connection_call_with_unix_fd_list(
        conn_, peer_, console_path(console_).c_str(), interface, method, args, nullptr,
        G_DBUS_CALL_FLAGS_NONE, timeout_ms, fds, cancel_,
        [](GObject* conn, GAsyncResult* res, gpointer data) {
            std::unique_ptr<Done> done(static_cast<Done*>(data));
            GError* raw = nullptr;
            g_autoptr(GVariant) reply = g_dbus_connection_call_with_unix_fd_list_finish(
                G_DBUS_CONNECTION(conn), nullptr, res, &raw);
            g_autoptr(GError) err = raw;
            if (reply)
                (*done)({});
            else if (!g_error_matches(err, G_IO_ERROR, G_IO_ERROR_CANCELLED))
                (*done)(Error{err->message, EIO});
        },
        new Done(std::move(done)));
}

} // namespace udmaview::qemu
