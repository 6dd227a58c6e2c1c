// SPDX-License-Identifier: MIT
// xdg_wm_base (one toplevel, configured to the size from argv), wp_viewporter (records each
// viewport's destination) and wp_presentation (CLOCK_MONOTONIC) of the test compositor.
#include <ctime>

#include "presentation-time-server-protocol.h"
#include "test_compositor.h"
#include "viewporter-server-protocol.h"
#include "xdg-shell-server-protocol.h"

namespace testcomp {

namespace {

void destroy(wl_client*, wl_resource* r) {
    wl_resource_destroy(r);
}

void configure(Server& s) {
    if (!s.toplevel || !s.xdg_surface)
        return;
    wl_array states;
    wl_array_init(&states);
    xdg_toplevel_send_configure(s.toplevel, s.opt.width, s.opt.height, &states);
    wl_array_release(&states);
    xdg_surface_send_configure(s.xdg_surface, wl_display_next_serial(s.display));
}

const struct xdg_toplevel_interface toplevel_impl = {
    .destroy = destroy,
    .set_parent = [](wl_client*, wl_resource*, wl_resource*) {},
    .set_title = [](wl_client*, wl_resource*, const char*) {},
    .set_app_id = [](wl_client*, wl_resource*, const char*) {},
    .show_window_menu = [](wl_client*, wl_resource*, wl_resource*, uint32_t, int32_t, int32_t) {},
    .move = [](wl_client*, wl_resource*, wl_resource*, uint32_t) {},
    .resize = [](wl_client*, wl_resource*, wl_resource*, uint32_t, uint32_t) {},
    .set_max_size = [](wl_client*, wl_resource*, int32_t, int32_t) {},
    .set_min_size = [](wl_client*, wl_resource*, int32_t, int32_t) {},
    .set_maximized = [](wl_client*, wl_resource*) {},
    .unset_maximized = [](wl_client*, wl_resource*) {},
    .set_fullscreen = [](wl_client*, wl_resource*, wl_resource*) {},
    .unset_fullscreen = [](wl_client*, wl_resource*) {},
    .set_minimized = [](wl_client*, wl_resource*) {},
};

const struct xdg_surface_interface xdg_surface_impl = {
    .destroy = destroy,
    .get_toplevel =
        [](wl_client* c, wl_resource* r, uint32_t id) {
            Server& s = server();
            s.toplevel =
                wl_resource_create(c, &xdg_toplevel_interface, wl_resource_get_version(r), id);
            wl_resource_set_implementation(s.toplevel, &toplevel_impl, nullptr,
                                           [](wl_resource*) { server().toplevel = nullptr; });
            configure(s);
        },
    .get_popup = [](wl_client*, wl_resource*, uint32_t, wl_resource*, wl_resource*) {},
    .set_window_geometry = [](wl_client*, wl_resource*, int32_t, int32_t, int32_t, int32_t) {},
    .ack_configure = [](wl_client*, wl_resource*, uint32_t) {},
};

const struct xdg_wm_base_interface wm_base_impl = {
    .destroy = destroy,
    .create_positioner = [](wl_client*, wl_resource*, uint32_t) {},
    .get_xdg_surface =
        [](wl_client* c, wl_resource* r, uint32_t id, wl_resource*) {
            Server& s = server();
            s.xdg_surface =
                wl_resource_create(c, &xdg_surface_interface, wl_resource_get_version(r), id);
            wl_resource_set_implementation(s.xdg_surface, &xdg_surface_impl, nullptr,
                                           [](wl_resource*) { server().xdg_surface = nullptr; });
        },
    .pong = [](wl_client*, wl_resource*, uint32_t) {},
};

// The viewport's user data is its surface resource: the Surface may go first.
Surface* viewport_surface(wl_resource* r) {
    return surface_of(static_cast<wl_resource*>(wl_resource_get_user_data(r)));
}

const struct wp_viewport_interface viewport_impl = {
    .destroy = destroy,
    .set_source = [](wl_client*, wl_resource*, wl_fixed_t, wl_fixed_t, wl_fixed_t, wl_fixed_t) {},
    .set_destination =
        [](wl_client*, wl_resource* r, int32_t w, int32_t h) {
            if (Surface* sf = viewport_surface(r)) {
                sf->dst_w = w;
                sf->dst_h = h;
            }
        },
};

const struct wp_viewporter_interface viewporter_impl = {
    .destroy = destroy,
    .get_viewport =
        [](wl_client* c, wl_resource*, uint32_t id, wl_resource* surface) {
            wl_resource* res = wl_resource_create(c, &wp_viewport_interface, 1, id);
            wl_resource_set_implementation(res, &viewport_impl, surface, nullptr);
        },
};

void feedback_gone(wl_resource* r) {
    Server& s = server();
    std::erase(s.feedback, r);
    for (auto& [res, sf] : s.surfaces)
        std::erase(sf->pending_feedback, r);
}

const struct wp_presentation_interface presentation_impl = {
    .destroy = destroy,
    .feedback =
        [](wl_client* c, wl_resource*, wl_resource* surface, uint32_t id) {
            wl_resource* res = wl_resource_create(c, &wp_presentation_feedback_interface, 1, id);
            wl_resource_set_implementation(res, nullptr, nullptr, &feedback_gone);
            if (Surface* sf = surface_of(surface))
                sf->pending_feedback.push_back(res);
        },
};

} // namespace

void send_presented(wl_resource* fb, const timespec& ts, uint32_t seq) {
    const auto sec = uint64_t(ts.tv_sec);
    wp_presentation_feedback_send_presented(fb, uint32_t(sec >> 32), uint32_t(sec),
                                            uint32_t(ts.tv_nsec), 16'666'667, 0, seq, 0);
    wl_resource_destroy(fb);
}

void add_shell_globals(Server& s) {
    wl_global_create(s.display, &xdg_wm_base_interface, 2, nullptr,
                     [](wl_client* c, void*, uint32_t version, uint32_t id) {
                         wl_resource* r =
                             wl_resource_create(c, &xdg_wm_base_interface, int(version), id);
                         wl_resource_set_implementation(r, &wm_base_impl, nullptr, nullptr);
                     });
    wl_global_create(s.display, &wp_viewporter_interface, 1, nullptr,
                     [](wl_client* c, void*, uint32_t version, uint32_t id) {
                         wl_resource* r =
                             wl_resource_create(c, &wp_viewporter_interface, int(version), id);
                         wl_resource_set_implementation(r, &viewporter_impl, nullptr, nullptr);
                     });
    wl_global_create(s.display, &wp_presentation_interface, 1, nullptr,
                     [](wl_client* c, void*, uint32_t version, uint32_t id) {
                         wl_resource* r =
                             wl_resource_create(c, &wp_presentation_interface, int(version), id);
                         wl_resource_set_implementation(r, &presentation_impl, nullptr, nullptr);
                         wp_presentation_send_clock_id(r, CLOCK_MONOTONIC);
                     });
}

} // namespace testcomp
