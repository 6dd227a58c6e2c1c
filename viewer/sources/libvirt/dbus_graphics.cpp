// SPDX-License-Identifier: MIT
#include "sources/libvirt/dbus_graphics.h"

#include <cerrno>
#include <cstring>
#include <glib.h>

namespace udmaview::virt {

namespace {

struct Scan {
    int depth = 0;
    bool in_devices = false;
    int graphics_seen = 0;
    std::optional<DbusGraphics> found;
};

const char* attribute(const char** names, const char** values, const char* key) {
    for (size_t i = 0; names[i]; ++i)
        if (std::strcmp(names[i], key) == 0)
            return values[i];
    return nullptr;
}

void on_start(GMarkupParseContext*, const gchar* element, const gchar** names, const gchar** values,
              gpointer data, GError**) {
    auto& scan = *static_cast<Scan*>(data);
    ++scan.depth;
    if (scan.depth == 2 && std::strcmp(element, "devices") == 0)
        scan.in_devices = true;
    if (!scan.in_devices || scan.depth != 3 || std::strcmp(element, "graphics") != 0)
        return;
    const int index = scan.graphics_seen++;
    const char* type = attribute(names, values, "type");
    if (scan.found || !type || std::strcmp(type, "dbus") != 0)
        return;
    const char* p2p = attribute(names, values, "p2p");
    const char* address = attribute(names, values, "address");
    scan.found = DbusGraphics{index, p2p && std::strcmp(p2p, "yes") == 0, address ? address : ""};
}

void on_end(GMarkupParseContext*, const gchar* element, gpointer data, GError**) {
    auto& scan = *static_cast<Scan*>(data);
    if (scan.depth == 2 && std::strcmp(element, "devices") == 0)
        scan.in_devices = false;
    --scan.depth;
}

} // namespace

Result<std::optional<DbusGraphics>> find_dbus_graphics(const std::string& domain_xml) {
    static const GMarkupParser parser = {on_start, on_end, nullptr, nullptr, nullptr};
    Scan scan;
    GMarkupParseContext* ctx =
        g_markup_parse_context_new(&parser, GMarkupParseFlags(0), &scan, nullptr);
    GError* raw = nullptr;
    const bool ok =
        g_markup_parse_context_parse(ctx, domain_xml.data(), gssize(domain_xml.size()), &raw) &&
        g_markup_parse_context_end_parse(ctx, &raw);
    g_markup_parse_context_free(ctx);
    g_autoptr(GError) err = raw;
    if (!ok)
        return Error{std::string("libvirt: the domain XML does not parse: ") + err->message,
                     EINVAL};
    return scan.found;
}

Error no_dbus_graphics(const std::string& domain, const std::string& uri) {
    return Error{"libvirt: domain '" + domain + "' on " + uri +
                     " has no <graphics type='dbus'>: add <graphics type='dbus' p2p='yes'/> "
                     "under <devices> (virsh edit " +
                     domain + ", or virt-xml " + domain +
                     " --add-device --graphics dbus,p2p=yes) and start it again",
                 ENOENT};
}

} // namespace udmaview::virt
