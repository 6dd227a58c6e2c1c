// SPDX-License-Identifier: MIT
// libFuzzer: the arguments of QEMU's org.qemu.Display1.Listener calls as GVariants built from
// the input (serialised GVariant data, untrusted, as GDBus hands them over), through the same
// checks the listener runs before it touches a byte: Scanout, Update (then copied into a
// surface the way Surface::copy_rect does, so ASan sees any read or write outside), ScanoutMap
// against a file size, UpdateMap clipping, ScanoutDMABUF against a dma-buf size.
// Input: byte 0 picks the call, bytes 1..8 are the file or dma-buf size, the rest the GVariant.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <gio/gio.h>
#include <vector>

#include "sources/qemu/mapped_scanout.h"
#include "sources/qemu/pixman_format.h"
#include "sources/qemu/surface.h"

using namespace udmaview;
using namespace udmaview::qemu;

namespace {

const char* const signatures[] = {"(uuuuay)", "(iiiiuuay)", "(huuuuu)", "(iiii)", "(huuuutb)"};

Layout test_surface() {
    Layout l;
    l.width = 64;
    l.height = 48;
    l.stride = 256;
    l.format = format_from_pixman(pixman_x8r8g8b8);
    return l;
}

void update(GVariant* v) {
    gint32 x, y, w, h;
    guint32 stride, pixman;
    GVariant* data = nullptr;
    g_variant_get(v, "(iiiiuu@ay)", &x, &y, &w, &h, &stride, &pixman, &data);
    gsize n = 0;
    const auto* bytes = static_cast<const uint8_t*>(g_variant_get_fixed_array(data, &n, 1));
    const Layout l = test_surface();
    const Rect rect{x, y, w, h};
    if (check_update(l, rect, stride, pixman, n)) {
        std::vector<uint8_t> surface(size_t(l.stride) * l.height);
        const size_t row = size_t(rect.w) * l.format->bytes_per_pixel;
        for (int32_t r = 0; r < rect.h; ++r)
            std::memcpy(surface.data() + size_t(rect.y + r) * l.stride +
                            size_t(rect.x) * l.format->bytes_per_pixel,
                        bytes + size_t(r) * stride, row);
    }
    g_variant_unref(data);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* input, size_t size) {
    if (size < 9)
        return 0;
    const unsigned which = input[0] % (sizeof signatures / sizeof signatures[0]);
    uint64_t file_size;
    std::memcpy(&file_size, input + 1, sizeof file_size);
    GVariant* raw = g_variant_ref_sink(g_variant_new_from_data(
        G_VARIANT_TYPE(signatures[which]), input + 9, size - 9, FALSE, nullptr, nullptr));
    // Untrusted data as GDBus checks it: the normal form is always well formed.
    GVariant* v = g_variant_take_ref(g_variant_get_normal_form(raw));
    g_variant_unref(raw);
    switch (which) {
    case 0: {
        guint32 w, h, stride, pixman;
        GVariant* data = nullptr;
        g_variant_get(v, "(uuuu@ay)", &w, &h, &stride, &pixman, &data);
        (void)check_scanout(w, h, stride, pixman, g_variant_get_size(data));
        g_variant_unref(data);
        break;
    }
    case 1:
        update(v);
        break;
    case 2: {
        gint32 handle;
        guint32 offset, w, h, stride, pixman;
        g_variant_get(v, "(huuuuu)", &handle, &offset, &w, &h, &stride, &pixman);
        if (Result<Layout> l = check_scanout_map(file_size, offset, w, h, stride, pixman);
            l && (l->offset + uint64_t(l->stride) * l->height > file_size))
            __builtin_trap(); // accepted a surface that does not fit in the file
        break;
    }
    case 3: {
        gint32 x, y, w, h;
        g_variant_get(v, "(iiii)", &x, &y, &w, &h);
        if (Result<Rect> r = clip_update_map(test_surface(), Rect{x, y, w, h});
            r && !rect_inside(*r, 64, 48))
            __builtin_trap(); // a clipped rectangle outside the surface
        break;
    }
    case 4: {
        gint32 handle;
        guint32 w, h, stride, fourcc;
        guint64 modifier;
        gboolean y0_top;
        g_variant_get(v, "(huuuutb)", &handle, &w, &h, &stride, &fourcc, &modifier, &y0_top);
        (void)check_dmabuf(w, h, stride, fourcc, modifier, y0_top, file_size);
        break;
    }
    }
    g_variant_unref(v);
    return 0;
}
