// SPDX-License-Identifier: MIT
#include "cli/source_factory.h"

#include <cerrno>

#include "sources/demo/demo_source.h"
#include "sources/region/region_source.h"
#include "udmaview_config.h"
#if UDMAVIEW_HAVE_QEMU
#include "sources/qemu/qemu_source.h"
#endif
#if UDMAVIEW_HAVE_LIBVIRT
#include "sources/libvirt/libvirt_source.h"
#endif

namespace udmaview {

namespace {

std::unique_ptr<FrameSource> make_demo(const SourceOptions& o, bool verbose) {
    DemoOptions demo;
    demo.width = o.size.width;
    demo.height = o.size.height;
    demo.format = o.format;
    demo.fps = o.fps;
    demo.patterns = o.patterns;
    demo.seed = o.seed;
    demo.use_udmabuf = !o.no_udmabuf;
    demo.log_input = verbose;
    return std::make_unique<DemoSource>(demo);
}

std::unique_ptr<FrameSource> make_region(const SourceOptions& o) {
    RegionOptions region;
    region.spec = o.source.region;
    region.fps = o.fps;
    region.use_udmabuf = !o.no_udmabuf;
    return std::make_unique<RegionSource>(std::move(region));
}

Result<std::unique_ptr<FrameSource>> make_qemu(const SourceOptions& o,
                                               [[maybe_unused]] bool verbose) {
#if UDMAVIEW_HAVE_QEMU
    qemu::QemuOptions q;
    q.mode = o.source.qemu_p2p ? qemu::QemuOptions::Mode::P2p : qemu::QemuOptions::Mode::Bus;
    q.address = o.source.qemu_address;
    q.console = o.console;
    q.reconnect = o.reconnect;
    q.follow_size = o.follow_size;
    q.verbose = verbose;
    q.use_udmabuf = !o.no_udmabuf;
    return std::unique_ptr<FrameSource>(std::make_unique<qemu::QemuSource>(std::move(q)));
#else
    return Error{"--source " + o.source.text +
                     ": the QEMU source is not built into this udmaview"
                     " (it needs GIO: install libglib2.0-dev and rebuild)",
                 ENOTSUP};
#endif
}

Result<std::unique_ptr<FrameSource>> make_libvirt(const SourceOptions& o,
                                                  [[maybe_unused]] bool verbose) {
#if UDMAVIEW_HAVE_LIBVIRT
    virt::LibvirtOptions v;
    v.domain = o.source.domain;
    v.uri = o.connect;
    v.console = o.console;
    v.reconnect = o.reconnect;
    v.follow_size = o.follow_size;
    v.verbose = verbose;
    v.use_udmabuf = !o.no_udmabuf;
    return std::unique_ptr<FrameSource>(std::make_unique<virt::LibvirtSource>(std::move(v)));
#else
    return Error{"--source " + o.source.text +
                     ": the libvirt source is not built into this udmaview"
                     " (it needs libvirt-dev and libglib2.0-dev: install them and rebuild)",
                 ENOTSUP};
#endif
}

} // namespace

Result<std::unique_ptr<FrameSource>> make_source(const SourceOptions& o, bool verbose) {
    switch (o.source.kind) {
    case SourceSpec::Kind::Demo:
        return make_demo(o, verbose);
    case SourceSpec::Kind::Region:
        return make_region(o);
    case SourceSpec::Kind::Qemu:
        return make_qemu(o, verbose);
    case SourceSpec::Kind::Libvirt:
        return make_libvirt(o, verbose);
    }
    return Error{"--source " + o.source.text + ": not available in this build", ENOTSUP};
}

Result<std::unique_ptr<FrameSource>> make_source(const Options& options) {
    return make_source(options, options.verbose);
}

} // namespace udmaview
