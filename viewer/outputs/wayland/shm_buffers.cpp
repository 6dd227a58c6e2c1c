// SPDX-License-Identifier: MIT
#include "outputs/wayland/shm_buffers.h"

#include <climits>

namespace udmaview::wl {

uint32_t shm_format_for(uint32_t fourcc) {
    // wl_shm kept two codes of its own from before it adopted the fourccs.
    if (fourcc == make_fourcc('A', 'R', '2', '4'))
        return WL_SHM_FORMAT_ARGB8888;
    if (fourcc == make_fourcc('X', 'R', '2', '4'))
        return WL_SHM_FORMAT_XRGB8888;
    return fourcc;
}

std::string ShmBuffers::why_not(const Buffer& buffer) const {
    const Layout& l = buffer.layout();
    const std::vector<Backing>& b = buffer.backing();
    if (b.size() != 1 || !b[0].memfd)
        return b.empty() ? "it has no memfd (a dma-buf only)"
                         : "it is spread over " + std::to_string(b.size()) +
                               " memfd ranges, and a wl_shm pool is one";
    if (!conn_.has_shm_format(shm_format_for(l.format->fourcc)))
        return "the compositor's wl_shm takes no " + std::string(l.format->name) + " (it lists " +
               conn_.shm_format_names() + ")";
    if (b[0].offset + b[0].size > uint64_t(INT32_MAX) ||
        b[0].offset + l.offset > uint64_t(INT32_MAX) || l.stride > uint32_t(INT32_MAX))
        return "it lies beyond 2 GiB of its memfd, past what wl_shm can address";
    return {};
}

wl_buffer* ShmBuffers::create(const Buffer& buffer) const {
    const Layout& l = buffer.layout();
    const std::vector<Backing>& b = buffer.backing();
    const uint64_t pool_size = b[0].offset + b[0].size;
    const uint64_t offset = b[0].offset + l.offset;
    wl_shm_pool* pool = wl_shm_create_pool(conn_.shm(), b[0].memfd->get(), int32_t(pool_size));
    wl_buffer* wb =
        wl_shm_pool_create_buffer(pool, int32_t(offset), int32_t(l.width), int32_t(l.height),
                                  int32_t(l.stride), shm_format_for(l.format->fourcc));
    // The buffer keeps the pool's memory; the pool object itself is not needed any more.
    wl_shm_pool_destroy(pool);
    return wb;
}

} // namespace udmaview::wl
