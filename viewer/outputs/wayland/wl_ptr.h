// SPDX-License-Identifier: MIT
// Owning pointers for libwayland client proxies: each protocol object is released by the
// request its interface names. wayland-scanner's request functions are static inline, so
// each deleter is a named type here rather than a function template argument.
#pragma once

#include <memory>

#include <wayland-client.h>

#include "outputs/linux-dmabuf-unstable-v1-client-protocol.h"
#include "outputs/presentation-time-client-protocol.h"
#include "outputs/viewporter-client-protocol.h"
#include "outputs/xdg-decoration-unstable-v1-client-protocol.h"
#include "outputs/xdg-shell-client-protocol.h"

namespace udmaview::wl {

template <typename T> struct Deleter;

#define UDMAVIEW_WL_DELETER(type)                                                                  \
    template <> struct Deleter<type> {                                                             \
        void operator()(type* p) const {                                                           \
            if (p)                                                                                 \
                type##_destroy(p);                                                                 \
        }                                                                                          \
    }
UDMAVIEW_WL_DELETER(wl_registry);
UDMAVIEW_WL_DELETER(wl_compositor);
UDMAVIEW_WL_DELETER(wl_subcompositor);
UDMAVIEW_WL_DELETER(wl_shm);
UDMAVIEW_WL_DELETER(wl_seat);
UDMAVIEW_WL_DELETER(wl_surface);
UDMAVIEW_WL_DELETER(wl_subsurface);
UDMAVIEW_WL_DELETER(wl_buffer);
UDMAVIEW_WL_DELETER(xdg_wm_base);
UDMAVIEW_WL_DELETER(xdg_surface);
UDMAVIEW_WL_DELETER(xdg_toplevel);
UDMAVIEW_WL_DELETER(wp_viewporter);
UDMAVIEW_WL_DELETER(wp_viewport);
UDMAVIEW_WL_DELETER(wp_presentation);
UDMAVIEW_WL_DELETER(zxdg_decoration_manager_v1);
UDMAVIEW_WL_DELETER(zxdg_toplevel_decoration_v1);
UDMAVIEW_WL_DELETER(zwp_linux_dmabuf_v1);
UDMAVIEW_WL_DELETER(zwp_linux_dmabuf_feedback_v1);
UDMAVIEW_WL_DELETER(zwp_linux_buffer_params_v1);
#undef UDMAVIEW_WL_DELETER

template <typename T> using Ptr = std::unique_ptr<T, Deleter<T>>;

} // namespace udmaview::wl
