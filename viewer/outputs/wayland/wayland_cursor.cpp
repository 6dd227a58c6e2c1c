// SPDX-License-Identifier: MIT
#include "outputs/wayland/wayland_cursor.h"

#include <climits>
#include <cstring>
#include <iostream>

#include <sys/mman.h>

namespace udmaview::wl {

WaylandCursor::WaylandCursor(WaylandConnection& conn)
    : conn_(conn)
    , surface_(wl_compositor_create_surface(conn.compositor())) {}

WaylandCursor::~WaylandCursor() = default;

WaylandCursor::Image::~Image() {
    if (buffer)
        wl_buffer_destroy(buffer);
}

std::unique_ptr<WaylandCursor::Image> WaylandCursor::make(const CursorImage& image) {
    auto out = std::make_unique<Image>();
    const uint64_t bytes = uint64_t(image.width) * image.height * 4;
    if (!image.width || !image.height || bytes > uint64_t(INT32_MAX) ||
        image.pixels.size() != size_t(image.width) * image.height)
        return nullptr;
    Result<Memfd> m = Memfd::create("udmaview-wayland-cursor", bytes);
    Result<Mapping> map = m ? m->map(PROT_READ | PROT_WRITE) : Result<Mapping>(m.error());
    if (!map) {
        if (!std::exchange(said_, true))
            std::cerr << "wayland: the guest's " << image.width << "x" << image.height
                      << " pointer image cannot be made a cursor (" << map.error().message
                      << "): the compositor's cursor stays\n";
        return nullptr;
    }
    // wl_shm's ARGB8888 is premultiplied; the guest's image is not.
    auto* dst = reinterpret_cast<uint32_t*>(map->data());
    for (size_t i = 0; i < image.pixels.size(); ++i) {
        const uint32_t p = image.pixels[i], a = p >> 24;
        auto mul = [a](uint32_t c) {
            return (c * a + 127) / 255;
        };
        dst[i] = a << 24 | mul((p >> 16) & 0xff) << 16 | mul((p >> 8) & 0xff) << 8 | mul(p & 0xff);
    }
    wl_shm_pool* pool = wl_shm_create_pool(conn_.shm(), m->fd(), int32_t(bytes));
    out->buffer = wl_shm_pool_create_buffer(pool, 0, int32_t(image.width), int32_t(image.height),
                                            int32_t(image.width * 4), WL_SHM_FORMAT_ARGB8888);
    wl_shm_pool_destroy(pool);
    out->memfd = std::move(*m);
    out->pixels = std::move(*map);
    out->hot_x = image.hot_x;
    out->hot_y = image.hot_y;
    ++images_;
    return out;
}

void WaylandCursor::set(const CursorState& state) {
    bool changed = state.visible != visible_;
    visible_ = state.visible;
    if (state.image && state.image.get() != source_) {
        source_ = state.image.get();
        // The new buffer is attached before the old one goes (apply), so the surface never
        // shows a destroyed buffer.
        std::unique_ptr<Image> old = std::move(image_);
        image_ = make(*state.image);
        if (image_ && pointer_) {
            wl_surface_attach(surface_.get(), image_->buffer, 0, 0);
            wl_surface_damage_buffer(surface_.get(), 0, 0, INT32_MAX, INT32_MAX);
            wl_surface_commit(surface_.get());
        }
        changed = true;
    }
    if (changed)
        apply();
}

void WaylandCursor::pointer_at(wl_pointer* pointer, uint32_t serial) {
    pointer_ = pointer;
    serial_ = serial;
    if (pointer_ && image_) {
        wl_surface_attach(surface_.get(), image_->buffer, 0, 0);
        wl_surface_damage_buffer(surface_.get(), 0, 0, INT32_MAX, INT32_MAX);
        wl_surface_commit(surface_.get());
    }
    apply();
}

void WaylandCursor::apply() {
    // Without a guest image the compositor's own cursor is left as it is.
    if (!pointer_ || !image_)
        return;
    wl_pointer_set_cursor(pointer_, serial_, visible_ ? surface_.get() : nullptr, image_->hot_x,
                          image_->hot_y);
    ++sets_;
}

} // namespace udmaview::wl
