// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <gio/gio.h>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sources/qemu/console_proxy.h"
#include "sources/qemu/dbus_session.h"
#include "sources/qemu/glib_ptr.h"
#include "sources/qemu/mapped_scanout.h"
#include "sources/qemu/qemu_options.h"
#include "sources/qemu/qemu_report.h"
#include "sources/qemu/surface.h"
#include "udmaview/udmabuf.h"

namespace udmaview::qemu {

// Hears the size of every picture the listener posts.
class PictureSizeObserver {
public:
    virtual ~PictureSizeObserver() = default;
    virtual void on_picture_size(uint32_t width, uint32_t height) = 0;
};

// The org.qemu.Display1.Listener object QEMU calls with the picture (Scanout/Update pixels
// copied into our Surface, ScanoutDMABUF/UpdateDMABUF passed through, ScanoutMap/UpdateMap
// shown from QEMU's own memfd) and the cursor. Turns
// each call into a frame, retirement or cursor event; an invalid call is answered with a
// D-Bus error and counted as rejected. Lives on the GLib thread across sessions, so the last
// picture stays while QEMU is away.
class DisplayListener : public ListenerServer {
public:
    DisplayListener(const QemuOptions& options, QemuEvents& events, StatsCounter& stats,
                    PictureSizeObserver& sizes)
        : opt_(options)
        , events_(events)
        , stats_(stats)
        , sizes_(sizes) {}

    // Parses the interface (listener.xml) and opens /dev/udmabuf when it is to be used.
    Status init();
    Result<std::vector<guint>> serve(GDBusConnection* conn) override;

    // A session attached: its console (for size queries) and the size QEMU reported.
    void attach(const ConsoleProxy& console, ConsoleSize size);
    void detach() { console_ = nullptr; }
    void on_console_change(const ConsoleChange& change);

    // The layout of the last frame posted (for pointer clamping); nullptr before the first.
    const Layout* shown_layout() const { return shown_ ? &shown_->layout() : nullptr; }
    // Drops the surface (before the thread ends).
    void release() { surface_.reset(); }

private:
    void on_call(const gchar* method, GVariant* params, GDBusMethodInvocation* inv);
    Status on_scanout(GVariant* params);
    Status on_update(GVariant* params);
    Status on_scanout_dmabuf(GVariant* params, GDBusMethodInvocation* inv);
    Status on_update_dmabuf(GVariant* params);
    Status on_scanout_map(GVariant* params, GDBusMethodInvocation* inv);
    Status on_update_map(GVariant* params);
    Status on_cursor_define(GVariant* params);
    void on_mouse_set(GVariant* params);
    void follow_console(const Rect& rect, const Format* format);
    bool resize_surface(uint32_t w, uint32_t h, const Format* format);
    // copied: bytes this frame cost us (Scanout/Update pixels into our surface; 0 for dma-bufs).
    void post_frame(const std::shared_ptr<const Buffer>& buffer, Region damage,
                    uint64_t copied = 0);
    void reject(const std::string& text);

    const QemuOptions& opt_;
    QemuEvents& events_;
    StatsCounter& stats_;
    PictureSizeObserver& sizes_;
    GDBusNodeInfoPtr node_;
    std::optional<Udmabuf> udmabuf_;
    const ConsoleProxy* console_ = nullptr; // the attached session's
    ConsoleSize console_size_;

    // The picture: our pixel surface (Scanout/Update), a received dma-buf, or QEMU's mapped
    // memfd (ScanoutMap/UpdateMap).
    std::unique_ptr<Surface> surface_;
    std::shared_ptr<const Buffer> dmabuf_buffer_;
    std::unique_ptr<MappedScanout> mapped_;
    bool said_no_map_dmabuf_ = false;
    std::shared_ptr<const Buffer> shown_; // the buffer of the last frame posted
    uint64_t seq_ = 0;
    CursorState cursor_;
};

} // namespace udmaview::qemu
