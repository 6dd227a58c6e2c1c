// SPDX-License-Identifier: MIT
// The libvirt source's pure parts: the domain XML's D-Bus graphics, near names, the spec.
#include <gtest/gtest.h>

#include "cli/options.h"
#include "sources/libvirt/dbus_graphics.h"
#include "sources/libvirt/domain_lookup.h"
#include "sources/libvirt/virt_connection.h"

using namespace udmaview;

TEST(LibvirtGraphics, P2pIndexCountsEveryGraphicsElement) {
    auto g =
        virt::find_dbus_graphics("<domain><name>a</name><devices><graphics type='vnc' port='-1'/>"
                                 "<graphics type='dbus' p2p='yes'/></devices></domain>");
    ASSERT_TRUE(g) << g.error().message;
    ASSERT_TRUE(g->has_value());
    EXPECT_EQ((*g)->index, 1);
    EXPECT_TRUE((*g)->p2p);
}

TEST(LibvirtGraphics, BusAddressFromLiveXml) {
    auto g = virt::find_dbus_graphics("<domain><devices><graphics type='dbus' "
                                      "address='unix:path=/run/x.sock'/></devices></domain>");
    ASSERT_TRUE(g && g->has_value());
    EXPECT_FALSE((*g)->p2p);
    EXPECT_EQ((*g)->address, "unix:path=/run/x.sock");
}

TEST(LibvirtGraphics, NoneOutsideDevicesOrOfOtherTypes) {
    auto g = virt::find_dbus_graphics("<domain><metadata><graphics type='dbus'/></metadata>"
                                      "<devices><graphics type='spice'/></devices></domain>");
    ASSERT_TRUE(g);
    EXPECT_FALSE(g->has_value());
}

TEST(LibvirtGraphics, BadXmlIsAnError) {
    EXPECT_FALSE(virt::find_dbus_graphics("<domain><devices>"));
    EXPECT_FALSE(virt::find_dbus_graphics("not xml <"));
}

TEST(LibvirtGraphics, TheFixNamesTheElementAndTheTools) {
    const Error e = virt::no_dbus_graphics("vm1", "qemu:///system");
    EXPECT_NE(e.message.find("<graphics type='dbus' p2p='yes'/>"), std::string::npos);
    EXPECT_NE(e.message.find("virt-xml vm1 --add-device --graphics dbus,p2p=yes"),
              std::string::npos);
    EXPECT_NE(e.message.find("virsh edit vm1"), std::string::npos);
}

TEST(LibvirtLookup, NearNames) {
    const std::vector<std::string> names = {"debian12", "fedora", "win11", "debian13-test"};
    EXPECT_EQ(virt::near_names("debian", names),
              (std::vector<std::string>{"debian12", "debian13-test"}));
    EXPECT_EQ(virt::near_names("fedorra", names), (std::vector<std::string>{"fedora"}));
    EXPECT_TRUE(virt::near_names("zzzzzz", names).empty());
}

TEST(LibvirtSpec, DomainAndConnectPerSource) {
    auto o = parse_options({"--connect", "qemu:///session", "--source", "libvirt:vm1", "--source",
                            "libvirt:vm2", "--connect", "qemu+ssh://h/system"});
    ASSERT_TRUE(o) << o.error().message;
    ASSERT_EQ(o->sources.size(), 2u);
    EXPECT_EQ(o->sources[0].source.kind, SourceSpec::Kind::Libvirt);
    EXPECT_EQ(o->sources[0].source.domain, "vm1");
    EXPECT_EQ(o->sources[0].connect, "qemu:///session");
    EXPECT_EQ(o->sources[1].connect, "qemu+ssh://h/system");
    EXPECT_FALSE(parse_options({"--source", "libvirt:"}));
    EXPECT_FALSE(parse_options({"--connect", ""}));
}

TEST(LibvirtVersion, DbusGraphicsNeeds840) {
    using namespace udmaview::virt;
    EXPECT_TRUE(check_library_version(8004000));
    EXPECT_TRUE(check_library_version(11003000));
    const Status lib = check_library_version(8003000);
    ASSERT_FALSE(lib);
    EXPECT_NE(lib.error().message.find("library is 8.3.0"), std::string::npos)
        << lib.error().message;
    EXPECT_NE(lib.error().message.find("8.4.0 or newer"), std::string::npos);
    EXPECT_FALSE(check_library_version(0)) << "an unknown version is refused";
    EXPECT_TRUE(check_daemon_version(9000000, "qemu:///system"));
    const Status daemon = check_daemon_version(7010002, "qemu+ssh://host/system");
    ASSERT_FALSE(daemon);
    EXPECT_NE(daemon.error().message.find("daemon at qemu+ssh://host/system is libvirt 7.10.2"),
              std::string::npos)
        << daemon.error().message;
    EXPECT_NE(daemon.error().message.find("upgrade libvirt there"), std::string::npos);
}
