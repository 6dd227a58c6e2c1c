// SPDX-License-Identifier: MIT
#include "outputs/wayland/shm_converter.h"

#include <cerrno>
#include <climits>
#include <sys/mman.h>

#include "render/pixman_format.h"

namespace udmaview::wl {

Result<std::unique_ptr<ShmConverter>> ShmConverter::create(WaylandConnection& conn, uint32_t width,
                                                           uint32_t height) {
    const uint64_t stride = uint64_t(width) * 4, one = stride * height;
    if (!width || !height || 2 * one > uint64_t(INT32_MAX))
        return Error{"wayland: a " + std::to_string(width) + "x" + std::to_string(height) +
                         " picture is too large for two converted wl_shm buffers",
                     EOVERFLOW};
    std::unique_ptr<ShmConverter> c(new ShmConverter);
    c->width_ = width;
    c->height_ = height;
    Result<Memfd> m = Memfd::create("udmaview-wayland-convert", 2 * one);
    if (!m)
        return Error{"wayland: the converted buffers: " + m.error().message, m.error().errnum};
    Result<Mapping> map = m->map(PROT_READ | PROT_WRITE);
    if (!map)
        return Error{"wayland: the converted buffers: " + map.error().message, map.error().errnum};
    c->memfd_ = std::move(*m);
    c->pixels_ = std::move(*map);
    wl_shm_pool* pool = wl_shm_create_pool(conn.shm(), c->memfd_->fd(), int32_t(2 * one));
    static const wl_buffer_listener listener = {.release = &ShmConverter::on_release};
    for (size_t i = 0; i < 2; ++i) {
        Slot& s = c->slots_[i];
        s.owner = c.get();
        s.buffer =
            wl_shm_pool_create_buffer(pool, int32_t(i * one), int32_t(width), int32_t(height),
                                      int32_t(stride), WL_SHM_FORMAT_XRGB8888);
        wl_buffer_add_listener(s.buffer, &listener, &s);
        s.image = pixman_image_create_bits_no_clear(
            PIXMAN_x8r8g8b8, int(width), int(height),
            reinterpret_cast<uint32_t*>(c->pixels_->data() + i * one), int(stride));
        s.lacks = Region(Rect{0, 0, int32_t(width), int32_t(height)});
    }
    wl_shm_pool_destroy(pool);
    return c;
}

ShmConverter::~ShmConverter() {
    for (Slot& s : slots_) {
        if (s.buffer)
            wl_buffer_destroy(s.buffer);
        if (s.image)
            pixman_image_unref(s.image);
    }
}

void ShmConverter::on_release(void* data, wl_buffer*) {
    static_cast<Slot*>(data)->held = false;
}

Result<wl_buffer*> ShmConverter::convert(const Buffer& src, const Region& damage, uint64_t& bytes,
                                         uint32_t& imports) {
    Slot* slot = !slots_[0].held ? &slots_[0] : !slots_[1].held ? &slots_[1] : nullptr;
    if (!slot)
        return Error{"wayland: both converted buffers are still held by the compositor", EBUSY};
    const Layout& l = src.layout();
    auto it = sources_.find(src.id());
    if (it == sources_.end()) {
        Result<Mapping> m = src.map(PROT_READ);
        if (!m)
            return Error{"wayland: mapping the " + l.to_string() + " buffer from " + src.origin() +
                             " to convert it: " + m.error().message,
                         m.error().errnum};
        it = sources_.emplace(src.id(), std::move(*m)).first;
        ++imports;
    }
    Result<pixman_format_code_t> format = pixman_source_format(*l.format);
    if (!format)
        return format.error();
    pixman_image_t* from = pixman_image_create_bits_no_clear(
        *format, int(l.width), int(l.height),
        reinterpret_cast<uint32_t*>(it->second.data() + l.offset), int(l.stride));
    for (Slot& s : slots_)
        s.lacks.add(damage);
    const Region todo = slot->lacks.intersected(Rect{0, 0, int32_t(width_), int32_t(height_)});
    {
        std::optional<DmaBufSync> sync = src.cpu_access(DmaBufSync::Read);
        for (const Rect& r : todo.rects()) {
            pixman_image_composite32(PIXMAN_OP_SRC, from, nullptr, slot->image, r.x, r.y, 0, 0, r.x,
                                     r.y, r.w, r.h);
            bytes += uint64_t(r.w) * uint64_t(r.h) * 4;
        }
    }
    pixman_image_unref(from);
    slot->lacks = Region();
    slot->held = true;
    return slot->buffer;
}

} // namespace udmaview::wl
