// SPDX-License-Identifier: MIT
#include "outputs/wayland/wayland_connection.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <poll.h>

namespace udmaview::wl {

namespace {

// The versions this output speaks; a compositor offering less is used at its version.
constexpr uint32_t compositor_version = 4; // damage_buffer
constexpr uint32_t seat_version_max = 5;   // axis_discrete
constexpr uint32_t wm_base_version = 2;
constexpr uint32_t dmabuf_version_max = 4; // the default feedback's format table

template <typename T>
T* bind(wl_registry* registry, uint32_t name, const wl_interface* iface, uint32_t offered,
        uint32_t wanted) {
    return static_cast<T*>(wl_registry_bind(registry, name, iface, std::min(offered, wanted)));
}

std::string where(const std::string& display) {
    const char* runtime = std::getenv("XDG_RUNTIME_DIR");
    if (!display.empty() && display[0] == '/')
        return display;
    return std::string(runtime ? runtime : "$XDG_RUNTIME_DIR (unset)") + "/" + display;
}

} // namespace

Result<std::unique_ptr<WaylandConnection>> WaylandConnection::connect(const std::string& display) {
    const char* env = std::getenv("WAYLAND_DISPLAY");
    const std::string name = !display.empty() ? display : env && *env ? env : "wayland-0";
    std::unique_ptr<WaylandConnection> c(new WaylandConnection);
    c->name_ = name;
    c->display_ = wl_display_connect(display.empty() ? nullptr : display.c_str());
    if (!c->display_) {
        const int err = errno;
        return Error{"wayland: cannot connect to the compositor at " + where(name) + " (" +
                         std::strerror(err) +
                         "): run udmaview inside a Wayland session, or set WAYLAND_DISPLAY "
                         "(and XDG_RUNTIME_DIR) to a running compositor's socket",
                     err ? err : ENOENT};
    }
    static const wl_registry_listener listener = {.global = &WaylandConnection::on_global,
                                                  .global_remove =
                                                      &WaylandConnection::on_global_remove};
    c->registry_.reset(wl_display_get_registry(c->display_));
    wl_registry_add_listener(c->registry_.get(), &listener, c.get());
    // Two round trips: the globals, then what the bound globals announce (shm formats, the
    // presentation clock, linux-dmabuf's formats or default feedback).
    for (int i = 0; i < 2; ++i)
        if (Status s = c->roundtrip(); !s)
            return s.error();
    if (!c->compositor_ || !c->shm_)
        return Error{"wayland: the compositor at " + where(name) +
                         " offers no wl_compositor v4 or wl_shm: it is not a usable desktop "
                         "compositor",
                     ENOTSUP};
    if (!c->wm_base_)
        return Error{"wayland: the compositor at " + where(name) +
                         " offers no xdg_wm_base (xdg-shell), so udmaview cannot open a window "
                         "there; use a desktop compositor (GNOME, KDE, sway, weston)",
                     ENOTSUP};
    if (!c->subcompositor_ || !c->viewporter_)
        return Error{"wayland: the compositor at " + where(name) +
                         " offers no wl_subcompositor or wp_viewporter, which the output "
                         "needs to place and scale the picture without redrawing it",
                     ENOTSUP};
    return c;
}

WaylandConnection::~WaylandConnection() {
    seat_.reset();
    dmabuf_.reset();
    decorations_.reset();
    presentation_.reset();
    viewporter_.reset();
    wm_base_.reset();
    shm_.reset();
    subcompositor_.reset();
    compositor_.reset();
    registry_.reset();
    if (display_)
        wl_display_disconnect(display_);
}

void WaylandConnection::on_global(void* data, wl_registry* registry, uint32_t name,
                                  const char* interface, uint32_t version) {
    auto* c = static_cast<WaylandConnection*>(data);
    const std::string iface = interface;
    if (iface == wl_compositor_interface.name && version >= compositor_version) {
        c->compositor_.reset(bind<wl_compositor>(registry, name, &wl_compositor_interface, version,
                                                 compositor_version));
    } else if (iface == wl_subcompositor_interface.name) {
        c->subcompositor_.reset(
            bind<wl_subcompositor>(registry, name, &wl_subcompositor_interface, version, 1));
    } else if (iface == wl_shm_interface.name) {
        c->shm_.reset(bind<wl_shm>(registry, name, &wl_shm_interface, version, 1));
        static const wl_shm_listener shm_listener = {.format = &WaylandConnection::on_shm_format};
        wl_shm_add_listener(c->shm_.get(), &shm_listener, c);
    } else if (iface == xdg_wm_base_interface.name) {
        c->wm_base_.reset(
            bind<xdg_wm_base>(registry, name, &xdg_wm_base_interface, version, wm_base_version));
        static const xdg_wm_base_listener wm_listener = {.ping = &WaylandConnection::on_ping};
        xdg_wm_base_add_listener(c->wm_base_.get(), &wm_listener, c);
    } else if (iface == wp_viewporter_interface.name) {
        c->viewporter_.reset(
            bind<wp_viewporter>(registry, name, &wp_viewporter_interface, version, 1));
    } else if (iface == wp_presentation_interface.name) {
        c->presentation_.reset(
            bind<wp_presentation>(registry, name, &wp_presentation_interface, version, 1));
        static const wp_presentation_listener p_listener = {.clock_id =
                                                                &WaylandConnection::on_clock};
        wp_presentation_add_listener(c->presentation_.get(), &p_listener, c);
    } else if (iface == zxdg_decoration_manager_v1_interface.name) {
        c->decorations_.reset(bind<zxdg_decoration_manager_v1>(
            registry, name, &zxdg_decoration_manager_v1_interface, version, 1));
    } else if (iface == zwp_linux_dmabuf_v1_interface.name && version >= 3) {
        // v3 lists formats with modifiers; older ones name formats without saying which
        // modifiers, so a linear buffer cannot be known to fit.
        const uint32_t v = std::min(version, dmabuf_version_max);
        c->dmabuf_ = std::make_unique<DmabufFormats>(
            bind<zwp_linux_dmabuf_v1>(registry, name, &zwp_linux_dmabuf_v1_interface, version,
                                      dmabuf_version_max),
            v);
    } else if (iface == wl_seat_interface.name && !c->seat_) {
        c->seat_version_ = std::min(version, seat_version_max);
        c->seat_.reset(
            bind<wl_seat>(registry, name, &wl_seat_interface, version, seat_version_max));
        static const wl_seat_listener seat_listener = {.capabilities =
                                                           &WaylandConnection::on_seat_caps,
                                                       .name = &WaylandConnection::on_seat_name};
        wl_seat_add_listener(c->seat_.get(), &seat_listener, c);
    }
}

void WaylandConnection::on_shm_format(void* data, wl_shm*, uint32_t format) {
    static_cast<WaylandConnection*>(data)->shm_formats_.insert(format);
}

void WaylandConnection::on_clock(void* data, wp_presentation*, uint32_t clock) {
    static_cast<WaylandConnection*>(data)->presentation_clock_ = clockid_t(clock);
}

void WaylandConnection::on_seat_caps(void* data, wl_seat*, uint32_t caps) {
    auto* c = static_cast<WaylandConnection*>(data);
    c->seat_caps_ = caps;
    if (c->seat_handler_)
        c->seat_handler_(caps);
}

void WaylandConnection::on_ping(void*, xdg_wm_base* base, uint32_t serial) {
    xdg_wm_base_pong(base, serial);
}

std::string WaylandConnection::shm_format_names() const {
    std::string s;
    for (uint32_t f : shm_formats_) {
        // wl_shm's two legacy codes; every other one is the DRM fourcc itself.
        std::string n = f == WL_SHM_FORMAT_ARGB8888   ? "AR24"
                        : f == WL_SHM_FORMAT_XRGB8888 ? "XR24"
                                                      : std::string(4, ' ');
        if (f > 1)
            for (int i = 0; i < 4; ++i)
                n[size_t(i)] = char((f >> (8 * i)) & 0xff);
        s += (s.empty() ? "" : " ") + n;
    }
    return s;
}

Error WaylandConnection::lost(const char* what) const {
    const int err = wl_display_get_error(display_);
    return Error{std::string("wayland: ") + what + " the compositor at " + where(name_) +
                     " failed (" + std::strerror(err ? err : EPIPE) +
                     "): the compositor went away or closed the connection",
                 err ? err : EPIPE};
}

Status WaylandConnection::flush() {
    if (wl_display_flush(display_) < 0 && errno != EAGAIN)
        return lost("sending to");
    return {};
}

Status WaylandConnection::dispatch() {
    // The usual non-blocking read: prepare, flush, read if readable, then dispatch.
    while (wl_display_prepare_read(display_) != 0)
        if (wl_display_dispatch_pending(display_) < 0)
            return lost("handling events from");
    if (Status s = flush(); !s) {
        wl_display_cancel_read(display_);
        return s;
    }
    pollfd p{.fd = fd(), .events = POLLIN, .revents = 0};
    if (::poll(&p, 1, 0) > 0) {
        if (wl_display_read_events(display_) < 0)
            return lost("reading from");
    } else {
        wl_display_cancel_read(display_);
    }
    if (wl_display_dispatch_pending(display_) < 0)
        return lost("handling events from");
    return {};
}

Status WaylandConnection::roundtrip() {
    if (wl_display_roundtrip(display_) < 0)
        return lost("a round trip to");
    return {};
}

} // namespace udmaview::wl
