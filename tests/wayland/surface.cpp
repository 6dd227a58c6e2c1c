// SPDX-License-Identifier: MIT
// wl_compositor, wl_surface, wl_region and wl_subcompositor of the test compositor. Every
// commit applies at once (the client's picture subsurface is desynchronized): the buffer is
// read, the commit recorded; the buffer it replaced is released on the next tick.
#include <algorithm>

#include "test_compositor.h"

namespace testcomp {

namespace {

void forget(std::vector<wl_resource*>& v, wl_resource* r) {
    v.erase(std::remove(v.begin(), v.end(), r), v.end());
}

// A frame callback or presentation feedback the client lost (its surface or itself gone):
// dropped from every list that would answer it.
void callback_gone(wl_resource* r) {
    Server& s = server();
    forget(s.frames, r);
    forget(s.feedback, r);
    for (auto& [res, sf] : s.surfaces) {
        forget(sf->pending_frames, r);
        forget(sf->pending_feedback, r);
    }
}

void buffer_gone(wl_listener* l, void*) {
    Surface* sf = wl_container_of(l, sf, current_gone);
    // A client that destroys a buffer its live surface still shows, before the release,
    // breaks the rule the output keeps; its own end (all resources at once) does not count.
    if (!server().client_gone)
        ++server().held_destroyed;
    wl_list_remove(&sf->current_gone.link);
    sf->current = nullptr;
}

// A replaced buffer the compositor still holds for two more repaints (ticks), as one whose
// GPU reads lag behind does: released after the new picture's presentation was reported,
// so a client must wait for the release itself, not for the presentation.
struct Releasing {
    wl_resource* buffer = nullptr;
    wl_listener gone{};
    int ticks = 2;
};
std::vector<Releasing*> releasing;

void drop(Releasing* r) {
    wl_list_remove(&r->gone.link);
    std::erase(releasing, r);
    delete r;
}

void releasing_gone(wl_listener* l, void*) {
    Releasing* r = wl_container_of(l, r, gone);
    if (!server().client_gone)
        ++server().held_destroyed;
    drop(r);
}

void set_current(Surface* sf, wl_resource* buffer) {
    if (sf->current == buffer)
        return;
    // Attached again before its release: shown again, no release owed.
    for (Releasing* r : releasing)
        if (r->buffer == buffer) {
            drop(r);
            break;
        }
    if (sf->current) {
        wl_list_remove(&sf->current_gone.link);
        auto* r = new Releasing{sf->current, {}, 2};
        r->gone.notify = &releasing_gone;
        wl_resource_add_destroy_listener(sf->current, &r->gone);
        releasing.push_back(r);
    }
    sf->current = buffer;
    if (buffer) {
        sf->current_gone.notify = &buffer_gone;
        wl_resource_add_destroy_listener(buffer, &sf->current_gone);
    }
}

std::string rects(const std::vector<std::vector<int32_t>>& v) {
    std::string out = "[";
    for (const auto& r : v)
        out += (out.size() > 1 ? "," : "") + std::string("[") + std::to_string(r[0]) + "," +
               std::to_string(r[1]) + "," + std::to_string(r[2]) + "," + std::to_string(r[3]) + "]";
    return out + "]";
}

void commit(Surface* sf) {
    Server& s = server();
    ++s.commits;
    const bool attached = sf->pending_attach;
    if (attached)
        set_current(sf, sf->pending_buffer);
    sf->pending_attach = false;
    sf->pending_buffer = nullptr;
    std::string json = "{\"commit\":" + std::to_string(s.commits) +
                       ",\"surface\":" + std::to_string(sf->id) +
                       ",\"picture\":" + (sf->sub ? "true" : "false") +
                       ",\"cursor\":" + (sf->cursor ? "true" : "false") +
                       ",\"attached\":" + (attached ? "true" : "false") +
                       ",\"damage\":" + rects(sf->pending_damage) + ",\"position\":[" +
                       std::to_string(sf->x) + "," + std::to_string(sf->y) + "],\"dst\":[" +
                       std::to_string(sf->dst_w) + "," + std::to_string(sf->dst_h) + "]";
    sf->pending_damage.clear();
    if (sf->current && attached) {
        const bool fresh = sf->sub && s.seen_buffers.insert(sf->current).second;
        std::vector<uint8_t> pixels;
        std::string desc;
        if (read_buffer(sf->current, pixels, desc)) {
            json += ",\"buffer\":" + desc + ",\"new_buffer\":" + (fresh ? "true" : "false");
            if (sf->sub) {
                s.pixels = std::move(pixels);
                s.pixels_json = desc;
                s.picture = sf;
            } else if (sf->cursor) {
                s.cursor_pixels = std::move(pixels);
                s.cursor_json = desc;
            }
        } else {
            json += ",\"buffer\":null";
        }
    }
    line(json + "}");
    s.frames.insert(s.frames.end(), sf->pending_frames.begin(), sf->pending_frames.end());
    s.feedback.insert(s.feedback.end(), sf->pending_feedback.begin(), sf->pending_feedback.end());
    sf->pending_frames.clear();
    sf->pending_feedback.clear();
    if (sf->sub && sf->current && !s.script_sent)
        send_script(s);
}

void surface_destroyed(wl_resource* r) {
    Server& s = server();
    auto it = s.surfaces.find(r);
    if (it == s.surfaces.end())
        return;
    Surface* sf = it->second;
    if (sf->current)
        wl_list_remove(&sf->current_gone.link);
    if (s.picture == sf)
        s.picture = nullptr;
    s.surfaces.erase(it);
    delete sf;
}

void destroy(wl_client*, wl_resource* r) {
    wl_resource_destroy(r);
}

const struct wl_surface_interface surface_impl = {
    .destroy = destroy,
    .attach =
        [](wl_client*, wl_resource* r, wl_resource* buffer, int32_t, int32_t) {
            Surface* sf = surface_of(r);
            sf->pending_buffer = buffer;
            sf->pending_attach = true;
        },
    .damage = [](wl_client*, wl_resource*, int32_t, int32_t, int32_t, int32_t) {},
    .frame =
        [](wl_client* c, wl_resource* r, uint32_t id) {
            wl_resource* cb = wl_resource_create(c, &wl_callback_interface, 1, id);
            wl_resource_set_implementation(cb, nullptr, nullptr, &callback_gone);
            surface_of(r)->pending_frames.push_back(cb);
        },
    .set_opaque_region = [](wl_client*, wl_resource*, wl_resource*) {},
    .set_input_region = [](wl_client*, wl_resource*, wl_resource*) {},
    .commit = [](wl_client*, wl_resource* r) { commit(surface_of(r)); },
    .set_buffer_transform = [](wl_client*, wl_resource*, int32_t) {},
    .set_buffer_scale = [](wl_client*, wl_resource*, int32_t) {},
    .damage_buffer =
        [](wl_client*, wl_resource* r, int32_t x, int32_t y, int32_t w, int32_t h) {
            surface_of(r)->pending_damage.push_back({x, y, w, h});
        },
    .offset = [](wl_client*, wl_resource*, int32_t, int32_t) {},
};

const struct wl_region_interface region_impl = {
    .destroy = destroy,
    .add = [](wl_client*, wl_resource*, int32_t, int32_t, int32_t, int32_t) {},
    .subtract = [](wl_client*, wl_resource*, int32_t, int32_t, int32_t, int32_t) {},
};

const struct wl_compositor_interface compositor_impl = {
    .create_surface =
        [](wl_client* c, wl_resource* r, uint32_t id) {
            wl_resource* res =
                wl_resource_create(c, &wl_surface_interface, wl_resource_get_version(r), id);
            auto* sf = new Surface;
            sf->resource = res;
            sf->id = server().next_surface++;
            server().surfaces[res] = sf;
            wl_resource_set_implementation(res, &surface_impl, sf, &surface_destroyed);
        },
    .create_region =
        [](wl_client* c, wl_resource*, uint32_t id) {
            wl_resource* res = wl_resource_create(c, &wl_region_interface, 1, id);
            wl_resource_set_implementation(res, &region_impl, nullptr, nullptr);
        },
};

// The subsurface's user data is its surface resource: the Surface may go first.
Surface* sub_surface(wl_resource* r) {
    return surface_of(static_cast<wl_resource*>(wl_resource_get_user_data(r)));
}

const struct wl_subsurface_interface subsurface_impl = {
    .destroy = destroy,
    .set_position =
        [](wl_client*, wl_resource* r, int32_t x, int32_t y) {
            if (Surface* sf = sub_surface(r)) {
                sf->x = x;
                sf->y = y;
            }
        },
    .place_above = [](wl_client*, wl_resource*, wl_resource*) {},
    .place_below = [](wl_client*, wl_resource*, wl_resource*) {},
    .set_sync = [](wl_client*, wl_resource*) {},
    .set_desync = [](wl_client*, wl_resource*) {},
};

const struct wl_subcompositor_interface subcompositor_impl = {
    .destroy = destroy,
    .get_subsurface =
        [](wl_client* c, wl_resource*, uint32_t id, wl_resource* surface, wl_resource*) {
            wl_resource* res = wl_resource_create(c, &wl_subsurface_interface, 1, id);
            wl_resource_set_implementation(res, &subsurface_impl, surface, nullptr);
            surface_of(surface)->sub = true;
        },
};

} // namespace

void release_replaced(Server& s) {
    std::vector<Releasing*> now = releasing;
    for (Releasing* r : now) {
        if (--r->ticks > 0)
            continue;
        wl_buffer_send_release(r->buffer);
        ++s.releases;
        drop(r);
    }
}

Surface* surface_of(wl_resource* r) {
    auto it = server().surfaces.find(r);
    return it == server().surfaces.end() ? nullptr : it->second;
}

void add_compositor_globals(Server& s) {
    wl_global_create(s.display, &wl_compositor_interface, 5, nullptr,
                     [](wl_client* c, void*, uint32_t version, uint32_t id) {
                         wl_resource* r =
                             wl_resource_create(c, &wl_compositor_interface, int(version), id);
                         wl_resource_set_implementation(r, &compositor_impl, nullptr, nullptr);
                     });
    wl_global_create(s.display, &wl_subcompositor_interface, 1, nullptr,
                     [](wl_client* c, void*, uint32_t version, uint32_t id) {
                         wl_resource* r =
                             wl_resource_create(c, &wl_subcompositor_interface, int(version), id);
                         wl_resource_set_implementation(r, &subcompositor_impl, nullptr, nullptr);
                     });
}

} // namespace testcomp
