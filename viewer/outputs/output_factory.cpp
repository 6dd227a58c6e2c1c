// SPDX-License-Identifier: MIT
#include "outputs/output_factory.h"

#include <cerrno>

#include "outputs/headless/headless_output.h"
#include "udmaview_config.h"

namespace udmaview {

Result<std::unique_ptr<Output>> make_output(const Options& o) {
    if (o.output == "headless")
        return std::unique_ptr<Output>(std::make_unique<HeadlessOutput>(HeadlessOptions{o.dump_png}));
    if (o.output == "kms")
        return Error{"--output kms: not built into this udmaview (it needs libdrm: install "
                     "libdrm-dev and rebuild)",
                     ENOTSUP};
    if (o.output == "sdl")
        return Error{"--output sdl: not built into this udmaview (it needs SDL2, EGL and GLESv2: "
                     "install libsdl2-dev libegl-dev libgles-dev and rebuild)",
                     ENOTSUP};
    return Error{"--output " + o.output + ": unknown output", EINVAL};
}

} // namespace udmaview
