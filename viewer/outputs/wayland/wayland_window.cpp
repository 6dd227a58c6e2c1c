// SPDX-License-Identifier: MIT
#include "outputs/wayland/wayland_window.h"

#include <cerrno>
#include <cstring>
#include <sys/mman.h>

namespace udmaview::wl {

Result<std::unique_ptr<WaylandWindow>> WaylandWindow::create(WaylandConnection& conn,
                                                             const std::string& title,
                                                             uint32_t width, uint32_t height,
                                                             bool fullscreen) {
    std::unique_ptr<WaylandWindow> w(new WaylandWindow(conn));
    w->asked_w_ = width ? width : 640;
    w->asked_h_ = height ? height : 480;
    w->root_.reset(wl_compositor_create_surface(conn.compositor()));
    w->picture_.reset(wl_compositor_create_surface(conn.compositor()));
    if (!w->root_ || !w->picture_)
        return Error{"wayland: creating the window's surfaces failed (out of memory?)", ENOMEM};
    w->root_viewport_.reset(wp_viewporter_get_viewport(conn.viewporter(), w->root_.get()));
    w->picture_viewport_.reset(wp_viewporter_get_viewport(conn.viewporter(), w->picture_.get()));
    w->subsurface_.reset(
        wl_subcompositor_get_subsurface(conn.subcompositor(), w->picture_.get(), w->root_.get()));
    // Frames commit on the picture alone; the parent's commit only moves it.
    wl_subsurface_set_desync(w->subsurface_.get());
    w->xdg_.reset(xdg_wm_base_get_xdg_surface(conn.wm_base(), w->root_.get()));
    static const xdg_surface_listener surface_listener = {.configure =
                                                              &WaylandWindow::on_configure};
    xdg_surface_add_listener(w->xdg_.get(), &surface_listener, w.get());
    w->toplevel_.reset(xdg_surface_get_toplevel(w->xdg_.get()));
    // Events of later versions stay null: xdg_wm_base is bound at version 2.
    static const xdg_toplevel_listener toplevel_listener = [] {
        xdg_toplevel_listener l{};
        l.configure = &WaylandWindow::on_toplevel_configure;
        l.close = &WaylandWindow::on_close;
        return l;
    }();
    xdg_toplevel_add_listener(w->toplevel_.get(), &toplevel_listener, w.get());
    xdg_toplevel_set_app_id(w->toplevel_.get(), "udmaview");
    w->set_title(title);
    if (conn.decorations()) {
        // Server-side decorations where offered: the compositor draws the title bar.
        w->decoration_.reset(zxdg_decoration_manager_v1_get_toplevel_decoration(
            conn.decorations(), w->toplevel_.get()));
        zxdg_toplevel_decoration_v1_set_mode(w->decoration_.get(),
                                             ZXDG_TOPLEVEL_DECORATION_V1_MODE_SERVER_SIDE);
    }
    if (fullscreen)
        xdg_toplevel_set_fullscreen(w->toplevel_.get(), nullptr);
    if (Status s = w->make_border(); !s)
        return s.error();
    // The initial commit carries no buffer: the compositor answers with the first configure.
    wl_surface_commit(w->root_.get());
    if (Status s = conn.roundtrip(); !s)
        return s.error();
    return w;
}

WaylandWindow::~WaylandWindow() {
    picture_viewport_.reset();
    subsurface_.reset();
    picture_.reset();
    decoration_.reset();
    toplevel_.reset();
    xdg_.reset();
    root_viewport_.reset();
    root_.reset();
    border_.reset();
}

Status WaylandWindow::make_border() {
    // One opaque black XRGB8888 pixel in a memfd of our own.
    Result<Memfd> m = Memfd::create("udmaview-wayland-border", 4);
    if (!m)
        return Error{"wayland: the border pixel: " + m.error().message, m.error().errnum};
    border_memfd_ = std::move(*m);
    wl_shm_pool* pool = wl_shm_create_pool(conn_.shm(), border_memfd_->fd(), 4);
    border_.reset(wl_shm_pool_create_buffer(pool, 0, 1, 1, 4, WL_SHM_FORMAT_XRGB8888));
    wl_shm_pool_destroy(pool);
    return {};
}

void WaylandWindow::set_title(const std::string& title) {
    xdg_toplevel_set_title(toplevel_.get(), title.c_str());
}

void WaylandWindow::toggle_fullscreen() {
    if (fullscreen_)
        xdg_toplevel_unset_fullscreen(toplevel_.get());
    else
        xdg_toplevel_set_fullscreen(toplevel_.get(), nullptr);
}

void WaylandWindow::on_toplevel_configure(void* data, xdg_toplevel*, int32_t w, int32_t h,
                                          wl_array* states) {
    auto* self = static_cast<WaylandWindow*>(data);
    self->pending_w_ = w > 0 ? uint32_t(w) : 0;
    self->pending_h_ = h > 0 ? uint32_t(h) : 0;
    self->pending_fullscreen_ = false;
    const auto* s = static_cast<const uint32_t*>(states->data);
    for (size_t i = 0; i < states->size / sizeof(uint32_t); ++i)
        if (s[i] == XDG_TOPLEVEL_STATE_FULLSCREEN)
            self->pending_fullscreen_ = true;
}

void WaylandWindow::on_close(void* data, xdg_toplevel*) {
    static_cast<WaylandWindow*>(data)->closed_ = true;
}

void WaylandWindow::on_configure(void* data, xdg_surface* surface, uint32_t serial) {
    auto* self = static_cast<WaylandWindow*>(data);
    xdg_surface_ack_configure(surface, serial);
    const bool first = !self->mapped_;
    const uint32_t old_w = self->width_, old_h = self->height_;
    self->fullscreen_ = self->pending_fullscreen_;
    // 0: the compositor leaves the size to us (a floating window's first configure).
    self->apply_size(self->pending_w_ ? self->pending_w_ : self->asked_w_,
                     self->pending_h_ ? self->pending_h_ : self->asked_h_);
    self->mapped_ = true;
    if ((self->width_ != old_w || self->height_ != old_h) && (!first || self->fullscreen_))
        self->user_size_ = true;
}

void WaylandWindow::apply_size(uint32_t w, uint32_t h) {
    if (w != width_ || h != height_)
        layout_dirty_ = true;
    width_ = w;
    height_ = h;
    wl_surface_attach(root_.get(), border_.get(), 0, 0);
    wp_viewport_set_destination(root_viewport_.get(), int32_t(w), int32_t(h));
    wl_surface_damage_buffer(root_.get(), 0, 0, 1, 1);
    wl_surface_commit(root_.get());
}

const Placement& WaylandWindow::place(uint32_t src_w, uint32_t src_h, ScaleMode mode) {
    if (!layout_dirty_ && src_w == placed_w_ && src_h == placed_h_ && mode == placed_mode_)
        return placement_;
    placement_ = udmaview::place(src_w, src_h, width_, height_, mode);
    placed_w_ = src_w;
    placed_h_ = src_h;
    placed_mode_ = mode;
    layout_dirty_ = false;
    if (placement_.dst.w <= 0 || placement_.dst.h <= 0)
        return placement_;
    const Rect& s = placement_.src;
    wp_viewport_set_source(picture_viewport_.get(), wl_fixed_from_int(s.x), wl_fixed_from_int(s.y),
                           wl_fixed_from_int(s.w), wl_fixed_from_int(s.h));
    wp_viewport_set_destination(picture_viewport_.get(), placement_.dst.w, placement_.dst.h);
    // The position is the parent's state: it applies with the root's next commit.
    wl_subsurface_set_position(subsurface_.get(), placement_.dst.x, placement_.dst.y);
    wl_surface_commit(root_.get());
    return placement_;
}

} // namespace udmaview::wl
