// SPDX-License-Identifier: MIT
#include "sources/qemu/display_listener.h"

#include <cerrno>
#include <cstring>
#include <gio/gunixfdlist.h>
#include <span>
#include <unistd.h>

#include "qemu_listener_xml.h"
#include "sources/qemu/mapped_scanout.h"
#include "sources/qemu/pixman_format.h"
#include "udmaview/clock.h"

namespace udmaview::qemu {

namespace {

constexpr const char* listener_path = "/org/qemu/Display1/Listener";
constexpr const char* map_interface = "org.qemu.Display1.Listener.Unix.Map";
constexpr int size_query_timeout_ms = 500;
constexpr int32_t max_cursor_size = 512;

// The pixels in place, inside the GVariant GDBus's parser built for the message: the surface's
// copy_rect() is then the only copy udmaview makes (no g_variant_dup, no GBytes).
std::span<const uint8_t> bytes_of(GVariant* ay) {
    gsize n = 0;
    const void* data = g_variant_get_fixed_array(ay, &n, 1);
    return {static_cast<const uint8_t*>(data), n};
}

Error invalid(std::string message) {
    return Error{std::move(message), EINVAL};
}

// The fd passed with a call as its handle-th attachment: a dup we own.
Result<UniqueFd> take_fd(GDBusMethodInvocation* inv, gint32 handle, const std::string& what) {
    GUnixFDList* fds = g_dbus_message_get_unix_fd_list(g_dbus_method_invocation_get_message(inv));
    if (!fds || handle < 0 || handle >= g_unix_fd_list_get_length(fds))
        return invalid(what + ": no fd passed with handle " + std::to_string(handle));
    GError* raw = nullptr;
    UniqueFd fd(g_unix_fd_list_get(fds, handle, &raw));
    g_autoptr(GError) err = raw;
    if (!fd)
        return invalid(what + ": " + err->message);
    return fd;
}

} // namespace

Status DisplayListener::init() {
    // The interface as QEMU 7.2 calls it (measured: notes/qemu-dbus-facts.md). GDBus checks
    // every incoming call's signature against it before our handler runs.
    GError* raw = nullptr;
    node_.reset(g_dbus_node_info_new_for_xml(listener_xml, &raw));
    g_autoptr(GError) err = raw;
    if (!node_)
        return Error{std::string("qemu: listener XML: ") + err->message, EINVAL};
    if (opt_.use_udmabuf && access(Udmabuf::default_path, F_OK) == 0) {
        Result<Udmabuf> dev = Udmabuf::open();
        if (dev)
            udmabuf_ = std::move(*dev);
        else
            log_line("no dma-buf for the copied surface: " + dev.error().message);
    }
    return {};
}

Result<std::vector<guint>> DisplayListener::serve(GDBusConnection* conn) {
    // Interfaces names the optional interfaces this object exports; QEMU reads it once, right
    // after RegisterListener, and calls ScanoutMap only when Unix.Map is listed.
    static const GDBusInterfaceVTable vtable = {
        [](GDBusConnection*, const gchar*, const gchar*, const gchar*, const gchar* method,
           GVariant* params, GDBusMethodInvocation* inv,
           gpointer self) { static_cast<DisplayListener*>(self)->on_call(method, params, inv); },
        [](GDBusConnection*, const gchar*, const gchar*, const gchar*, const gchar* property,
           GError** error, gpointer) -> GVariant* {
            if (std::strcmp(property, "Interfaces") == 0) {
                const gchar* names[] = {map_interface, nullptr};
                return g_variant_new_strv(names, -1);
            }
            g_set_error(error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_PROPERTY,
                        "no property %s on the udmaview listener", property);
            return nullptr;
        },
        nullptr,
        {}};
    std::vector<guint> ids;
    for (GDBusInterfaceInfo** iface = node_->interfaces; *iface; ++iface) {
        GError* raw = nullptr;
        const guint id = g_dbus_connection_register_object(conn, listener_path, *iface, &vtable,
                                                           this, nullptr, &raw);
        g_autoptr(GError) err = raw;
        if (!id) {
            for (guint done : ids)
                g_dbus_connection_unregister_object(conn, done);
            return Error{std::string("qemu: cannot serve the listener interface ") +
                             (*iface)->name + ": " + err->message,
                         EIO};
        }
        ids.push_back(id);
    }
    return ids;
}

void DisplayListener::attach(const ConsoleProxy& console, ConsoleSize size) {
    console_ = &console;
    console_size_ = size;
}

void DisplayListener::on_call(const gchar* method, GVariant* params, GDBusMethodInvocation* inv) {
    Status done;
    if (std::strcmp(method, "Scanout") == 0)
        done = on_scanout(params);
    else if (std::strcmp(method, "Update") == 0)
        done = on_update(params);
    else if (std::strcmp(method, "ScanoutDMABUF") == 0)
        done = on_scanout_dmabuf(params, inv);
    else if (std::strcmp(method, "UpdateDMABUF") == 0)
        done = on_update_dmabuf(params);
    else if (std::strcmp(method, "ScanoutMap") == 0)
        done = on_scanout_map(params, inv);
    else if (std::strcmp(method, "UpdateMap") == 0)
        done = on_update_map(params);
    else if (std::strcmp(method, "Disable") == 0) {
        // QEMU 7.2 also sends it right after a new ScanoutDMABUF to release the previous
        // dma-buf: keep showing the last picture.
        if (opt_.verbose)
            log_line("Disable");
    } else if (std::strcmp(method, "MouseSet") == 0)
        on_mouse_set(params);
    else if (std::strcmp(method, "CursorDefine") == 0)
        done = on_cursor_define(params);
    if (done) {
        g_dbus_method_invocation_return_value(inv, nullptr);
    } else {
        reject(done.error().message);
        g_dbus_method_invocation_return_dbus_error(inv, "org.qemu.Display1.Error.Invalid",
                                                   done.error().message.c_str());
    }
}

void DisplayListener::reject(const std::string& text) {
    stats_.update([](QemuStats& st) { ++st.rejected; });
    log_line("rejected " + text);
}

void DisplayListener::post_frame(const std::shared_ptr<const Buffer>& buffer, Region damage,
                                 uint64_t copied) {
    Frame frame{++seq_, buffer, std::move(damage), now_ns()};
    frame.source_bytes_copied = copied;
    events_.post({QemuEvent::Kind::Frame, std::move(frame), 0, {}, {}});
    if (shown_ && shown_ != buffer) // the old buffer is not used again: outputs drop it
        events_.post({QemuEvent::Kind::Retire, {}, shown_->id(), {}, {}});
    shown_ = buffer;
    sizes_.on_picture_size(buffer->layout().width, buffer->layout().height);
}

Status DisplayListener::on_scanout(GVariant* params) {
    guint32 w, h, stride, pixman;
    g_autoptr(GVariant) data = nullptr;
    g_variant_get(params, "(uuuu@ay)", &w, &h, &stride, &pixman, &data);
    std::span<const uint8_t> bytes = bytes_of(data);
    Result<const Format*> format = check_scanout(w, h, stride, pixman, bytes.size());
    if (!format)
        return format.error();
    if (!surface_ || surface_->layout().width != w || surface_->layout().height != h ||
        surface_->layout().format != *format) {
        if (!resize_surface(w, h, *format))
            return invalid("Scanout: no surface");
    }
    dmabuf_buffer_.reset();
    mapped_.reset();
    console_size_ = {w, h};
    const uint64_t copied =
        surface_->copy_rect({0, 0, int32_t(w), int32_t(h)}, bytes.data(), stride);
    stats_.update([&](QemuStats& st) {
        ++st.scanouts;
        st.bytes_copied += copied;
    });
    post_frame(surface_->buffer(), Region(surface_->layout().bounds()), copied);
    return {};
}

Status DisplayListener::on_update(GVariant* params) {
    gint32 x, y, w, h;
    guint32 stride, pixman;
    g_autoptr(GVariant) data = nullptr;
    g_variant_get(params, "(iiiiuu@ay)", &x, &y, &w, &h, &stride, &pixman, &data);
    std::span<const uint8_t> bytes = bytes_of(data);
    const Rect rect{x, y, w, h};
    const Format* format = format_from_pixman(pixman);
    if (surface_ && format && !rect.empty() &&
        (format != surface_->layout().format ||
         !rect_inside(rect, surface_->layout().width, surface_->layout().height)))
        follow_console(rect, format); // a change may come without a Scanout
    if (!surface_)
        return invalid("Update " + rect.to_string() + ": no surface yet (no Scanout)");
    if (Status s = check_update(surface_->layout(), rect, stride, pixman, bytes.size()); !s)
        return s;
    const uint64_t copied = surface_->copy_rect(rect, bytes.data(), stride);
    stats_.update([&](QemuStats& st) {
        ++st.updates;
        st.bytes_copied += copied;
    });
    post_frame(surface_->buffer(), Region(rect), copied);
    return {};
}

// An Update that does not fit: QEMU 7.2 announces some size changes (SeaBIOS 640x480 →
// 720x400 text mode) only with the console's PropertiesChanged, which travels on the other
// connection (through the bus daemon in bus mode) and was measured to arrive after the first
// Updates of the new size. Follow a known new size; else ask QEMU for the size right away,
// with a short timeout: QEMU sends Updates without waiting for us, so it answers at once; a
// peer that does not answer costs at most that timeout per message. A format change is
// followed only for an Update that covers the whole console (anything else would leave the
// rest of the new surface black).
void DisplayListener::follow_console(const Rect& rect, const Format* format) {
    if (!console_)
        return;
    if (!rect_inside(rect, console_size_.width, console_size_.height)) {
        if (rect.x < 0 || rect.y < 0 || rect.empty() || int64_t(rect.x) + rect.w > 16384 ||
            int64_t(rect.y) + rect.h > 16384)
            return; // no console can hold it
        std::optional<ConsoleSize> size = console_->query_size(size_query_timeout_ms);
        if (!size)
            return;
        console_size_ = *size;
    }
    const uint32_t w = console_size_.width, h = console_size_.height;
    if (!rect_inside(rect, w, h))
        return;
    const bool new_format = format != surface_->layout().format;
    if (new_format &&
        !(rect.x == 0 && rect.y == 0 && uint32_t(rect.w) == w && uint32_t(rect.h) == h))
        return;
    if (new_format || w != surface_->layout().width || h != surface_->layout().height) {
        if (opt_.verbose)
            log_line("console now " + std::to_string(w) + "x" + std::to_string(h) + " " +
                     std::string(format->name));
        resize_surface(w, h, format);
    }
}

void DisplayListener::on_console_change(const ConsoleChange& change) {
    const uint32_t w = change.width.value_or(console_size_.width);
    const uint32_t h = change.height.value_or(console_size_.height);
    if (w == console_size_.width && h == console_size_.height)
        return;
    console_size_ = {w, h};
    if (opt_.verbose)
        log_line("console size now " + std::to_string(w) + "x" + std::to_string(h));
    if (surface_ && (surface_->layout().width != w || surface_->layout().height != h))
        resize_surface(w, h, surface_->layout().format);
}

// A new pixel surface of the new size (its first Update posts it; the old buffer is retired
// then).
bool DisplayListener::resize_surface(uint32_t w, uint32_t h, const Format* format) {
    if (w == 0 || h == 0 || uint64_t(w) * h * format->bytes_per_pixel > max_surface_bytes) {
        reject("console size " + std::to_string(w) + "x" + std::to_string(h));
        return false;
    }
    Result<std::unique_ptr<Surface>> made =
        Surface::create(w, h, format, udmabuf_ ? &*udmabuf_ : nullptr);
    if (!made) {
        reject("surface " + std::to_string(w) + "x" + std::to_string(h) + ": " +
               made.error().message);
        return false;
    }
    surface_ = std::move(*made);
    dmabuf_buffer_.reset();
    stats_.update([](QemuStats& st) { ++st.surfaces; });
    return true;
}

Status DisplayListener::on_scanout_dmabuf(GVariant* params, GDBusMethodInvocation* inv) {
    gint32 handle;
    guint32 w, h, stride, fourcc;
    guint64 modifier;
    gboolean y0_top;
    g_variant_get(params, "(huuuutb)", &handle, &w, &h, &stride, &fourcc, &modifier, &y0_top);
    Result<UniqueFd> fd = take_fd(inv, handle, "ScanoutDMABUF");
    if (!fd)
        return fd.error();
    Result<DmaBuf> dmabuf = DmaBuf::adopt(std::move(*fd));
    if (!dmabuf)
        return invalid("ScanoutDMABUF: " + dmabuf.error().message);
    Result<Layout> layout = check_dmabuf(w, h, stride, fourcc, modifier, y0_top, dmabuf->size());
    if (!layout)
        return layout.error();
    dmabuf_buffer_ = std::make_shared<const Buffer>(*layout, std::vector<Backing>{},
                                                    std::move(*dmabuf), "qemu ScanoutDMABUF");
    surface_.reset();
    mapped_.reset();
    stats_.update([](QemuStats& st) { ++st.dmabuf_scanouts; });
    post_frame(dmabuf_buffer_, Region(layout->bounds()));
    return {};
}

Status DisplayListener::on_update_dmabuf(GVariant* params) {
    gint32 x, y, w, h;
    g_variant_get(params, "(iiii)", &x, &y, &w, &h);
    const Rect rect{x, y, w, h};
    if (!dmabuf_buffer_)
        return invalid("UpdateDMABUF " + rect.to_string() + ": no dma-buf scanout");
    if (!rect_inside(rect, dmabuf_buffer_->layout().width, dmabuf_buffer_->layout().height))
        return invalid("UpdateDMABUF " + rect.to_string() + ": outside the " +
                       dmabuf_buffer_->layout().to_string() + " dma-buf");
    stats_.update([](QemuStats& st) { ++st.dmabuf_updates; });
    post_frame(dmabuf_buffer_, Region(rect));
    return {};
}

// QEMU's own memfd surface: shown in place (the Buffer's backing is QEMU's file), so neither
// this nor UpdateMap copies a byte.
Status DisplayListener::on_scanout_map(GVariant* params, GDBusMethodInvocation* inv) {
    gint32 handle;
    guint32 offset, w, h, stride, pixman;
    g_variant_get(params, "(huuuuu)", &handle, &offset, &w, &h, &stride, &pixman);
    Result<UniqueFd> fd = take_fd(inv, handle, "ScanoutMap");
    if (!fd)
        return fd.error();
    Result<std::unique_ptr<MappedScanout>> mapped = MappedScanout::adopt(
        std::move(*fd), offset, w, h, stride, pixman, udmabuf_ ? &*udmabuf_ : nullptr);
    if (!mapped)
        return mapped.error();
    if (!(*mapped)->no_dmabuf().empty() && !said_no_map_dmabuf_) {
        log_line("ScanoutMap surfaces get no dma-buf: " + (*mapped)->no_dmabuf() +
                 "; outputs map QEMU's memfd and upload the damage (under the SIGBUS "
                 "guard: should the peer truncate the file, this source ends)");
        said_no_map_dmabuf_ = true;
    }
    mapped_ = std::move(*mapped);
    if (opt_.verbose)
        log_line("ScanoutMap " + mapped_->layout().to_string() + ": shown from QEMU's memfd");
    surface_.reset();
    dmabuf_buffer_.reset();
    console_size_ = {w, h};
    stats_.update([](QemuStats& st) { ++st.map_scanouts; });
    post_frame(mapped_->buffer(), Region(mapped_->layout().bounds()));
    return {};
}

Status DisplayListener::on_update_map(GVariant* params) {
    gint32 x, y, w, h;
    g_variant_get(params, "(iiii)", &x, &y, &w, &h);
    const Rect rect{x, y, w, h};
    if (!mapped_)
        return invalid("UpdateMap " + rect.to_string() + ": no ScanoutMap surface");
    Result<Rect> damage = clip_update_map(mapped_->layout(), rect);
    if (!damage)
        return damage.error();
    stats_.update([](QemuStats& st) { ++st.map_updates; });
    post_frame(mapped_->buffer(), Region(*damage));
    return {};
}

void DisplayListener::on_mouse_set(GVariant* params) {
    gint32 x, y, on;
    g_variant_get(params, "(iii)", &x, &y, &on);
    cursor_.x = x;
    cursor_.y = y;
    cursor_.visible = on != 0;
    events_.post({QemuEvent::Kind::Cursor, {}, 0, cursor_, {}});
}

Status DisplayListener::on_cursor_define(GVariant* params) {
    gint32 w, h, hot_x, hot_y;
    g_autoptr(GVariant) data = nullptr;
    g_variant_get(params, "(iiii@ay)", &w, &h, &hot_x, &hot_y, &data);
    std::span<const uint8_t> bytes = bytes_of(data);
    const std::string what = "CursorDefine " + std::to_string(w) + "x" + std::to_string(h);
    if (w <= 0 || h <= 0 || w > max_cursor_size || h > max_cursor_size)
        return invalid(what + ": size out of 1.." + std::to_string(max_cursor_size));
    if (bytes.size() < uint64_t(w) * uint64_t(h) * 4)
        return invalid(what + ": " + std::to_string(bytes.size()) + " data bytes, need w × h × 4");
    auto image = std::make_shared<CursorImage>();
    image->width = uint32_t(w);
    image->height = uint32_t(h);
    image->hot_x = hot_x;
    image->hot_y = hot_y;
    image->pixels.resize(size_t(w) * size_t(h));
    std::memcpy(image->pixels.data(), bytes.data(), image->pixels.size() * 4);
    cursor_.image = std::move(image);
    events_.post({QemuEvent::Kind::Cursor, {}, 0, cursor_, {}});
    return {};
}

} // namespace udmaview::qemu
