// SPDX-License-Identifier: MIT
#pragma once

#include <gio/gio.h>
#include <memory>

namespace udmaview::qemu {

// Owning pointers for GLib objects kept as members or handed between functions (g_autoptr
// covers locals). unique_ptr never calls the deleter for nullptr.
template <auto Unref> struct GUnref {
    template <typename T> void operator()(T* p) const { Unref(p); }
};

template <typename T> using GObjectPtr = std::unique_ptr<T, GUnref<g_object_unref>>;
using GMainContextPtr = std::unique_ptr<GMainContext, GUnref<g_main_context_unref>>;
using GMainLoopPtr = std::unique_ptr<GMainLoop, GUnref<g_main_loop_unref>>;
using GDBusNodeInfoPtr = std::unique_ptr<GDBusNodeInfo, GUnref<g_dbus_node_info_unref>>;
using GVariantPtr = std::unique_ptr<GVariant, GUnref<g_variant_unref>>;
// A source attached to a context: dropping it detaches it (it never fires again) and unrefs it.
struct GSourceDetach {
    void operator()(GSource* s) const {
        g_source_destroy(s);
        g_source_unref(s);
    }
};
using GAttachedSourcePtr = std::unique_ptr<GSource, GSourceDetach>;

} // namespace udmaview::qemu
