// SPDX-License-Identifier: MIT
#include "sources/source_factory.h"

#include <cerrno>

#include "sources/demo/demo_source.h"
#include "sources/region/region_source.h"
#include "udmaview_config.h"
#if UDMAVIEW_HAVE_QEMU
#include "sources/qemu/qemu_source.h"
#endif

namespace udmaview {

namespace {

Result<std::unique_ptr<FrameSource>> make_demo(const Options& o) {
    Result<unsigned> patterns = DemoScene::parse_patterns(o.pattern);
    if (!patterns)
        return Error{"--pattern: " + patterns.error().message, EINVAL};
    DemoOptions demo;
    demo.width = o.width;
    demo.height = o.height;
    demo.format = o.format;
    demo.fps = o.fps;
    demo.patterns = *patterns;
    demo.seed = o.seed;
    demo.use_udmabuf = !o.no_udmabuf;
    demo.log_input = o.verbose;
    return std::unique_ptr<FrameSource>(std::make_unique<DemoSource>(demo));
}

Result<std::unique_ptr<FrameSource>> make_region(const Options& o) {
    Result<RegionSpec> spec = RegionSpec::parse(o.source.substr(std::string("region:").size()));
    if (!spec)
        return spec.error();
    RegionOptions region;
    region.spec = *spec;
    region.fps = o.fps;
    region.use_udmabuf = !o.no_udmabuf;
    return std::unique_ptr<FrameSource>(std::make_unique<RegionSource>(std::move(region)));
}

#if UDMAVIEW_HAVE_QEMU
Result<std::unique_ptr<FrameSource>> make_qemu(const Options& o) {
    Result<qemu::QemuOptions> q = qemu::parse_qemu_source(o.source);
    if (!q)
        return q.error();
    q->console = o.console;
    q->reconnect = o.reconnect;
    q->verbose = o.verbose;
    q->use_udmabuf = !o.no_udmabuf;
    return std::unique_ptr<FrameSource>(std::make_unique<qemu::QemuSource>(std::move(*q)));
}
#endif

} // namespace

Result<std::unique_ptr<FrameSource>> make_source(const Options& o) {
    if (o.source == "demo")
        return make_demo(o);
    if (o.source.rfind("region:", 0) == 0)
        return make_region(o);
#if UDMAVIEW_HAVE_QEMU
    if (o.source.rfind("qemu", 0) == 0)
        return make_qemu(o);
#else
    if (o.source.rfind("qemu", 0) == 0)
        return Error{"--source " + o.source +
                         ": the QEMU source is not built into this udmaview"
                         " (it needs GIO: install libglib2.0-dev and rebuild)",
                     ENOTSUP};
#endif
    return Error{"--source " + o.source + ": not available in this build", ENOTSUP};
}

} // namespace udmaview
