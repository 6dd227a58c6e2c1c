// SPDX-License-Identifier: MIT
#include "sources/source_factory.h"

#include <cerrno>

#include "sources/demo/demo_source.h"
#include "udmaview_config.h"

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

} // namespace

Result<std::unique_ptr<FrameSource>> make_source(const Options& o) {
    if (o.source == "demo")
        return make_demo(o);
    if (o.source.rfind("qemu", 0) == 0)
        return Error{"--source " + o.source + ": the QEMU source is not built into this udmaview"
                     " (it needs GIO: install libglib2.0-dev and rebuild)",
                     ENOTSUP};
    return Error{"--source " + o.source + ": not available in this build", ENOTSUP};
}

} // namespace udmaview
