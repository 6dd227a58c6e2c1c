// SPDX-License-Identifier: MIT
// The connection to the Wayland compositor and the globals the output uses: what is offered
// is found once at start, so every later decision (viewporter, presentation, decorations,
// wl_shm formats, linux-dmabuf formats) reads a fact instead of asking again.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <string>

#include "outputs/presentation-time-client-protocol.h"
#include "outputs/viewporter-client-protocol.h"
#include "outputs/wayland/dmabuf_formats.h"
#include "outputs/wayland/wl_ptr.h"
#include "outputs/xdg-decoration-unstable-v1-client-protocol.h"
#include "outputs/xdg-shell-client-protocol.h"
#include "udmaview/error.h"

namespace udmaview::wl {

class WaylandConnection {
public:
    // display: a socket name or path as for WAYLAND_DISPLAY ("" = the environment's).
    static Result<std::unique_ptr<WaylandConnection>> connect(const std::string& display);
    ~WaylandConnection();
    WaylandConnection(const WaylandConnection&) = delete;
    WaylandConnection& operator=(const WaylandConnection&) = delete;

    wl_display* display() const { return display_; }
    int fd() const { return wl_display_get_fd(display_); }
    wl_compositor* compositor() const { return compositor_.get(); }
    wl_subcompositor* subcompositor() const { return subcompositor_.get(); }
    wl_shm* shm() const { return shm_.get(); }
    xdg_wm_base* wm_base() const { return wm_base_.get(); }
    wp_viewporter* viewporter() const { return viewporter_.get(); }
    wp_presentation* presentation() const { return presentation_.get(); }
    clockid_t presentation_clock() const { return presentation_clock_; }
    zxdg_decoration_manager_v1* decorations() const { return decorations_.get(); }
    // The compositor's zwp_linux_dmabuf_v1 and what it takes; nullptr when not offered.
    const DmabufFormats* dmabuf() const { return dmabuf_.get(); }
    wl_seat* seat() const { return seat_.get(); }
    uint32_t seat_version() const { return seat_version_; }
    // WL_SEAT_CAPABILITY_* as the seat last announced them. The seat announces them right
    // after the bind, before any later listener could see them, so the connection keeps
    // them; handler (WaylandInput) hears of every later change.
    uint32_t seat_capabilities() const { return seat_caps_; }
    void on_seat_capabilities(std::function<void(uint32_t)> handler) {
        seat_handler_ = std::move(handler);
    }
    // The wl_shm formats the compositor listed (WL_SHM_FORMAT_*).
    bool has_shm_format(uint32_t format) const { return shm_formats_.count(format) != 0; }
    std::string shm_format_names() const;
    const std::string& name() const { return name_; }

    // Sends what is queued; an Error (naming the compositor) once the connection is gone.
    Status flush();
    // Reads what the compositor sent, if anything, and runs the handlers.
    Status dispatch();
    Status roundtrip();

private:
    WaylandConnection() = default;
    Error lost(const char* what) const;
    static void on_global(void* data, wl_registry*, uint32_t name, const char* interface,
                          uint32_t version);
    static void on_global_remove(void*, wl_registry*, uint32_t) {}
    static void on_shm_format(void* data, wl_shm*, uint32_t format);
    static void on_clock(void* data, wp_presentation*, uint32_t clock);
    static void on_ping(void*, xdg_wm_base* base, uint32_t serial);
    static void on_seat_caps(void* data, wl_seat*, uint32_t caps);
    static void on_seat_name(void*, wl_seat*, const char*) {}

    wl_display* display_ = nullptr;
    std::string name_;
    Ptr<wl_registry> registry_;
    Ptr<wl_compositor> compositor_;
    Ptr<wl_subcompositor> subcompositor_;
    Ptr<wl_shm> shm_;
    Ptr<xdg_wm_base> wm_base_;
    Ptr<wp_viewporter> viewporter_;
    Ptr<wp_presentation> presentation_;
    Ptr<zxdg_decoration_manager_v1> decorations_;
    std::unique_ptr<DmabufFormats> dmabuf_;
    Ptr<wl_seat> seat_;
    uint32_t seat_version_ = 0;
    uint32_t seat_caps_ = 0;
    std::function<void(uint32_t)> seat_handler_;
    clockid_t presentation_clock_ = CLOCK_MONOTONIC;
    std::set<uint32_t> shm_formats_;
};

} // namespace udmaview::wl
