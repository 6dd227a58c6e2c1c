// SPDX-License-Identifier: MIT
#include <gio/gio.h>
#include <gtest/gtest.h>
#include <string>

#include "qemu_listener_xml.h"

// The embedded listener.xml is what GDBus checks QEMU's calls against: every method QEMU 7.2
// calls must be there with QEMU's argument types, or GDBus refuses the call before we see it.
TEST(QemuListenerXml, DeclaresQemu72ListenerMethods) {
    GError* raw = nullptr;
    g_autoptr(GDBusNodeInfo) node =
        g_dbus_node_info_new_for_xml(udmaview::qemu::listener_xml, &raw);
    g_autoptr(GError) err = raw;
    ASSERT_NE(node, nullptr) << err->message;
    GDBusInterfaceInfo* iface =
        g_dbus_node_info_lookup_interface(node, "org.qemu.Display1.Listener");
    ASSERT_NE(iface, nullptr);
    const std::pair<const char*, const char*> methods[] = {
        {"Scanout", "uuuuay"},     {"Update", "iiiiuuay"}, {"ScanoutDMABUF", "huuuutb"},
        {"UpdateDMABUF", "iiii"},  {"Disable", ""},        {"MouseSet", "iii"},
        {"CursorDefine", "iiiiay"}};
    for (const auto& [name, signature] : methods) {
        GDBusMethodInfo* m = g_dbus_interface_info_lookup_method(iface, name);
        ASSERT_NE(m, nullptr) << name;
        std::string args;
        for (GDBusArgInfo** a = m->in_args; a && *a; ++a)
            args += (*a)->signature;
        EXPECT_EQ(args, signature) << name;
    }
}

// QEMU 9.2 and later read the Interfaces property and then call Unix.Map with these types
// (QEMU's ui/dbus-display1.xml).
TEST(QemuListenerXml, DeclaresUnixMapAndInterfaces) {
    GError* raw = nullptr;
    g_autoptr(GDBusNodeInfo) node =
        g_dbus_node_info_new_for_xml(udmaview::qemu::listener_xml, &raw);
    g_autoptr(GError) err = raw;
    ASSERT_NE(node, nullptr) << err->message;
    GDBusInterfaceInfo* listener =
        g_dbus_node_info_lookup_interface(node, "org.qemu.Display1.Listener");
    ASSERT_NE(listener, nullptr);
    GDBusPropertyInfo* prop = g_dbus_interface_info_lookup_property(listener, "Interfaces");
    ASSERT_NE(prop, nullptr);
    EXPECT_STREQ(prop->signature, "as");
    GDBusInterfaceInfo* map =
        g_dbus_node_info_lookup_interface(node, "org.qemu.Display1.Listener.Unix.Map");
    ASSERT_NE(map, nullptr);
    const std::pair<const char*, const char*> methods[] = {{"ScanoutMap", "huuuuu"},
                                                           {"UpdateMap", "iiii"}};
    for (const auto& [name, signature] : methods) {
        GDBusMethodInfo* m = g_dbus_interface_info_lookup_method(map, name);
        ASSERT_NE(m, nullptr) << name;
        std::string args;
        for (GDBusArgInfo** a = m->in_args; a && *a; ++a)
            args += (*a)->signature;
        EXPECT_EQ(args, signature) << name;
    }
}
