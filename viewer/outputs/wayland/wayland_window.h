// SPDX-License-Identifier: MIT
// The window: an xdg-shell toplevel whose root surface is one black pixel stretched by
// wp_viewporter to the window's size (the border around a picture that does not fill it),
// and a subsurface that shows the guest's buffer, placed and scaled by its own viewport.
// Nothing is ever drawn by udmaview: the compositor scales the guest's pixels.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "outputs/wayland/wayland_connection.h"
#include "udmaview/error.h"
#include "udmaview/memfd.h"
#include "udmaview/placement.h"
#include "udmaview/scale_mode.h"

namespace udmaview::wl {

class WaylandWindow {
public:
    // width x height: the size asked for while the compositor leaves it to the client.
    static Result<std::unique_ptr<WaylandWindow>> create(WaylandConnection& conn,
                                                         const std::string& title, uint32_t width,
                                                         uint32_t height, bool fullscreen);
    ~WaylandWindow();
    WaylandWindow(const WaylandWindow&) = delete;
    WaylandWindow& operator=(const WaylandWindow&) = delete;

    // The first configure has been acked: the window may show buffers.
    bool mapped() const { return mapped_; }
    bool closed() const { return closed_; }
    bool fullscreen() const { return fullscreen_; }
    uint32_t width() const { return width_; }
    uint32_t height() const { return height_; }
    // Set by a configure that changed the size; cleared by place().
    bool layout_dirty() const { return layout_dirty_; }
    // The compositor gave the window a new size the user chose (a resize, full screen; not
    // the first size of a floating window, which is the guest's own): once per change.
    bool take_user_size() { return std::exchange(user_size_, false); }

    void set_title(const std::string& title);
    void toggle_fullscreen();
    // Puts a src_w x src_h picture into the window by the one placement rule: the
    // subsurface's position and the viewport's source crop and destination size.
    const Placement& place(uint32_t src_w, uint32_t src_h, ScaleMode mode);
    const Placement& placement() const { return placement_; }

    wl_surface* picture() const { return picture_.get(); }
    // The window's root surface: pointer and keyboard focus arrive on it or on picture().
    wl_surface* root() const { return root_.get(); }

private:
    explicit WaylandWindow(WaylandConnection& conn)
        : conn_(conn) {}
    Status make_border();
    void apply_size(uint32_t w, uint32_t h);

    static void on_configure(void* data, xdg_surface* surface, uint32_t serial);
    static void on_toplevel_configure(void* data, xdg_toplevel*, int32_t w, int32_t h,
                                      wl_array* states);
    static void on_close(void* data, xdg_toplevel*);

    WaylandConnection& conn_;
    Ptr<wl_surface> root_;
    Ptr<wp_viewport> root_viewport_;
    Ptr<xdg_surface> xdg_;
    Ptr<xdg_toplevel> toplevel_;
    Ptr<zxdg_toplevel_decoration_v1> decoration_;
    Ptr<wl_surface> picture_;
    Ptr<wl_subsurface> subsurface_;
    Ptr<wp_viewport> picture_viewport_;
    std::optional<Memfd> border_memfd_;
    Ptr<wl_buffer> border_;

    uint32_t asked_w_ = 0, asked_h_ = 0;     // our own size when the compositor has none
    uint32_t pending_w_ = 0, pending_h_ = 0; // from the toplevel configure
    bool pending_fullscreen_ = false;
    uint32_t width_ = 0, height_ = 0;
    bool fullscreen_ = false, mapped_ = false, closed_ = false, layout_dirty_ = true;
    bool user_size_ = false;
    Placement placement_;
    uint32_t placed_w_ = 0, placed_h_ = 0;
    ScaleMode placed_mode_ = ScaleMode::Fit;
};

} // namespace udmaview::wl
