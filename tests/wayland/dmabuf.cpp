// SPDX-License-Identifier: MIT
// zwp_linux_dmabuf_v1 v4 of the test compositor: a default feedback whose format table (a
// memfd) lists the formats from argv with DRM_FORMAT_MOD_LINEAR, or _INVALID on request
// (v3: modifier events), and buffers
// "imported" by mmap() of the dma-buf's fd, read under DMA_BUF_IOCTL_SYNC. Also reads wl_shm
// buffers.
#include <algorithm>
#include <cstring>
#include <utility>

#include <linux/dma-buf.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "linux-dmabuf-unstable-v1-server-protocol.h"
#include "test_compositor.h"

namespace testcomp {

namespace {

int table_fd = -1;
uint32_t table_size = 0;

DmabufBuffer* dmabuf_of(wl_resource* buffer);

const struct wl_buffer_interface buffer_impl = {
    .destroy = [](wl_client*, wl_resource* r) { wl_resource_destroy(r); },
};

struct Params {
    int fd = -1;
    uint32_t offset = 0, stride = 0;
    uint64_t modifier = 0;
    bool used = false;
    ~Params() {
        if (fd >= 0)
            ::close(fd);
    }
};

bool listed(uint32_t format, uint64_t modifier) {
    for (uint32_t f : server().opt.dmabuf_formats)
        if (f == format && modifier == server().opt.dmabuf_modifier)
            return true;
    return false;
}

// The buffer, or nullptr (and the reason in the events file) when it cannot be imported.
wl_resource* import(wl_client* c, wl_resource* params_res, uint32_t id, int32_t w, int32_t h,
                    uint32_t format, uint32_t flags) {
    auto* p = static_cast<Params*>(wl_resource_get_user_data(params_res));
    std::string why;
    if (p->used || p->fd < 0)
        why = "no plane, or the params were used";
    else if (!listed(format, p->modifier))
        why = "format " + fourcc_name(format) + " modifier " + std::to_string(p->modifier) +
              " not in the table";
    auto* b = new DmabufBuffer;
    if (why.empty()) {
        b->map_size = size_t(p->offset) + size_t(p->stride) * size_t(h);
        void* m = ::mmap(nullptr, b->map_size, PROT_READ, MAP_SHARED, p->fd, 0);
        if (m == MAP_FAILED)
            why = std::string("mmap of the dma-buf failed: ") + std::strerror(errno);
        else
            b->map = static_cast<const uint8_t*>(m);
    }
    p->used = true;
    if (!why.empty()) {
        delete b;
        line("{\"dmabuf_refused\":\"" + why + "\"}");
        return nullptr;
    }
    b->fd = std::exchange(p->fd, -1);
    b->offset = p->offset;
    b->stride = p->stride;
    b->modifier = p->modifier;
    b->format = format;
    b->width = w;
    b->height = h;
    b->y_invert = (flags & ZWP_LINUX_BUFFER_PARAMS_V1_FLAGS_Y_INVERT) != 0;
    b->resource = wl_resource_create(c, &wl_buffer_interface, 1, id);
    wl_resource_set_implementation(b->resource, &buffer_impl, b, [](wl_resource* r) {
        delete static_cast<DmabufBuffer*>(wl_resource_get_user_data(r));
    });
    return b->resource;
}

const struct zwp_linux_buffer_params_v1_interface params_impl = {
    .destroy = [](wl_client*, wl_resource* r) { wl_resource_destroy(r); },
    .add =
        [](wl_client*, wl_resource* r, int32_t fd, uint32_t plane, uint32_t offset, uint32_t stride,
           uint32_t hi, uint32_t lo) {
            auto* p = static_cast<Params*>(wl_resource_get_user_data(r));
            if (plane != 0 || p->fd >= 0) { // one plane: the packed RGB formats
                ::close(fd);
                wl_resource_post_error(r, ZWP_LINUX_BUFFER_PARAMS_V1_ERROR_PLANE_IDX,
                                       "only plane 0, once");
                return;
            }
            p->fd = fd;
            p->offset = offset;
            p->stride = stride;
            p->modifier = uint64_t(hi) << 32 | lo;
        },
    .create =
        [](wl_client* c, wl_resource* r, int32_t w, int32_t h, uint32_t format, uint32_t flags) {
            if (wl_resource* b = import(c, r, 0, w, h, format, flags))
                zwp_linux_buffer_params_v1_send_created(r, b);
            else
                zwp_linux_buffer_params_v1_send_failed(r);
        },
    .create_immed =
        [](wl_client* c, wl_resource* r, uint32_t id, int32_t w, int32_t h, uint32_t format,
           uint32_t flags) {
            if (!import(c, r, id, w, h, format, flags))
                wl_resource_post_error(r, ZWP_LINUX_BUFFER_PARAMS_V1_ERROR_INVALID_WL_BUFFER,
                                       "cannot import");
        },
};

void send_feedback(wl_resource* fb) {
    zwp_linux_dmabuf_feedback_v1_send_format_table(fb, table_fd, table_size);
    wl_array dev;
    wl_array_init(&dev);
    *static_cast<dev_t*>(wl_array_add(&dev, sizeof(dev_t))) = 0; // no device: a CPU import
    zwp_linux_dmabuf_feedback_v1_send_main_device(fb, &dev);
    zwp_linux_dmabuf_feedback_v1_send_tranche_target_device(fb, &dev);
    zwp_linux_dmabuf_feedback_v1_send_tranche_flags(fb, 0);
    wl_array idx;
    wl_array_init(&idx);
    for (size_t i = 0; i < server().opt.dmabuf_formats.size(); ++i)
        *static_cast<uint16_t*>(wl_array_add(&idx, sizeof(uint16_t))) = uint16_t(i);
    zwp_linux_dmabuf_feedback_v1_send_tranche_formats(fb, &idx);
    zwp_linux_dmabuf_feedback_v1_send_tranche_done(fb);
    zwp_linux_dmabuf_feedback_v1_send_done(fb);
    wl_array_release(&idx);
    wl_array_release(&dev);
}

const struct zwp_linux_dmabuf_feedback_v1_interface feedback_impl = {
    .destroy = [](wl_client*, wl_resource* r) { wl_resource_destroy(r); },
};

void get_feedback(wl_client* c, wl_resource* r, uint32_t id) {
    wl_resource* fb = wl_resource_create(c, &zwp_linux_dmabuf_feedback_v1_interface,
                                         wl_resource_get_version(r), id);
    wl_resource_set_implementation(fb, &feedback_impl, nullptr, nullptr);
    send_feedback(fb);
}

const struct zwp_linux_dmabuf_v1_interface dmabuf_impl = {
    .destroy = [](wl_client*, wl_resource* r) { wl_resource_destroy(r); },
    .create_params =
        [](wl_client* c, wl_resource* r, uint32_t id) {
            wl_resource* res = wl_resource_create(c, &zwp_linux_buffer_params_v1_interface,
                                                  wl_resource_get_version(r), id);
            wl_resource_set_implementation(res, &params_impl, new Params, [](wl_resource* p) {
                delete static_cast<Params*>(wl_resource_get_user_data(p));
            });
        },
    .get_default_feedback = get_feedback,
    .get_surface_feedback = [](wl_client* c, wl_resource* r, uint32_t id,
                               wl_resource*) { get_feedback(c, r, id); },
};

DmabufBuffer* dmabuf_of(wl_resource* buffer) {
    if (!wl_resource_instance_of(buffer, &wl_buffer_interface, &buffer_impl))
        return nullptr;
    return static_cast<DmabufBuffer*>(wl_resource_get_user_data(buffer));
}

std::string describe(const char* kind, uint32_t fourcc, uint64_t modifier, int32_t w, int32_t h,
                     uint32_t stride) {
    return std::string("{\"kind\":\"") + kind + "\",\"format\":\"" + fourcc_name(fourcc) +
           "\",\"modifier\":" + std::to_string(modifier) + ",\"width\":" + std::to_string(w) +
           ",\"height\":" + std::to_string(h) + ",\"stride\":" + std::to_string(stride) + "}";
}

} // namespace

DmabufBuffer::~DmabufBuffer() {
    if (map)
        ::munmap(const_cast<uint8_t*>(map), map_size);
    if (fd >= 0)
        ::close(fd);
}

bool read_buffer(wl_resource* buffer, std::vector<uint8_t>& pixels, std::string& json) {
    if (DmabufBuffer* b = dmabuf_of(buffer)) {
        dma_buf_sync sync{.flags = DMA_BUF_SYNC_START | DMA_BUF_SYNC_READ};
        ::ioctl(b->fd, DMA_BUF_IOCTL_SYNC, &sync); // refused by some exporters: read anyway
        const uint8_t* p = b->map + b->offset;
        pixels.assign(p, p + size_t(b->stride) * size_t(b->height));
        if (b->y_invert) // the picture as shown: top row first
            for (size_t y = 0; y < size_t(b->height) / 2; ++y)
                std::swap_ranges(pixels.begin() + std::ptrdiff_t(y * b->stride),
                                 pixels.begin() + std::ptrdiff_t((y + 1) * b->stride),
                                 pixels.begin() +
                                     std::ptrdiff_t((size_t(b->height) - 1 - y) * b->stride));
        sync.flags = DMA_BUF_SYNC_END | DMA_BUF_SYNC_READ;
        ::ioctl(b->fd, DMA_BUF_IOCTL_SYNC, &sync);
        json = describe("dmabuf", b->format, b->modifier, b->width, b->height, b->stride);
        json.insert(json.size() - 1,
                    std::string(",\"y_invert\":") + (b->y_invert ? "true" : "false"));
        return true;
    }
    wl_shm_buffer* shm = wl_shm_buffer_get(buffer);
    if (!shm)
        return false;
    const int32_t h = wl_shm_buffer_get_height(shm), stride = wl_shm_buffer_get_stride(shm);
    uint32_t format = wl_shm_buffer_get_format(shm);
    // wl_shm's two codes of its own; the others are DRM fourccs.
    format = format == WL_SHM_FORMAT_ARGB8888   ? 0x34325241u
             : format == WL_SHM_FORMAT_XRGB8888 ? 0x34325258u
                                                : format;
    wl_shm_buffer_begin_access(shm);
    const auto* p = static_cast<const uint8_t*>(wl_shm_buffer_get_data(shm));
    pixels.assign(p, p + size_t(stride) * size_t(h));
    wl_shm_buffer_end_access(shm);
    json = describe("shm", format, 0, wl_shm_buffer_get_width(shm), h, uint32_t(stride));
    return true;
}

void close_dmabuf_table() {
    if (table_fd >= 0)
        ::close(table_fd);
    table_fd = -1;
}

void add_dmabuf_global(Server& s) {
    // The table: 16 bytes an entry (format, padding, modifier), every format with LINEAR.
    table_size = uint32_t(s.opt.dmabuf_formats.size() * 16);
    table_fd = ::memfd_create("testcomp-format-table", MFD_CLOEXEC);
    for (uint32_t f : s.opt.dmabuf_formats) {
        uint8_t entry[16] = {};
        std::memcpy(entry, &f, sizeof f);
        std::memcpy(entry + 8, &s.opt.dmabuf_modifier, sizeof s.opt.dmabuf_modifier);
        if (::write(table_fd, entry, sizeof entry) != sizeof entry)
            return;
    }
    wl_global_create(s.display, &zwp_linux_dmabuf_v1_interface, s.opt.dmabuf_version, nullptr,
                     [](wl_client* c, void*, uint32_t version, uint32_t id) {
                         wl_resource* r = wl_resource_create(c, &zwp_linux_dmabuf_v1_interface,
                                                             int(version), id);
                         wl_resource_set_implementation(r, &dmabuf_impl, nullptr, nullptr);
                         // Before v4 the formats come as events right after the bind.
                         if (version >= 4)
                             return;
                         for (uint32_t f : server().opt.dmabuf_formats) {
                             zwp_linux_dmabuf_v1_send_format(r, f);
                             if (version >= ZWP_LINUX_DMABUF_V1_MODIFIER_SINCE_VERSION)
                                 zwp_linux_dmabuf_v1_send_modifier(
                                     r, f, uint32_t(server().opt.dmabuf_modifier >> 32),
                                     uint32_t(server().opt.dmabuf_modifier));
                         }
                     });
}

} // namespace testcomp
