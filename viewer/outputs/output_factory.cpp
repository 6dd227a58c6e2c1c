// SPDX-License-Identifier: MIT
#include "outputs/output_factory.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ostream>

#include "outputs/headless/headless_output.h"
#include "udmaview_config.h"
#if UDMAVIEW_HAVE_SDL
#include "outputs/egl/viewport.h"
#include "outputs/sdl/sdl_output.h"
#endif
#if UDMAVIEW_HAVE_KMS
#include "outputs/kms/kms_output.h"
#endif

namespace udmaview {

#if UDMAVIEW_HAVE_KMS
namespace {

bool env_set(const char* name) {
    const char* v = std::getenv(name);
    return v && *v && std::strcmp(v, "0") != 0;
}

// Options from the environment that exist for tests and driver debugging.
kms::KmsOptions kms_options_from_env(kms::KmsOptions options) {
    if (env_set("UDMAVIEW_KMS_LEGACY"))
        options.atomic = false;
    if (env_set("UDMAVIEW_KMS_COPY"))
        options.force_copy = true;
    return options;
}

} // namespace
#endif

Status list_displays(const Options& o, std::ostream& out) {
#if UDMAVIEW_HAVE_KMS
    return kms::list_cards(out, o.device);
#else
    (void)o;
    (void)out;
    return Error{"--list: the kms output is not built into this udmaview (it needs libdrm: "
                 "install libdrm-dev and rebuild)",
                 ENOTSUP};
#endif
}

Result<std::unique_ptr<Output>> make_output(const Options& o) {
    if (o.output == "headless")
        return std::unique_ptr<Output>(
            std::make_unique<HeadlessOutput>(HeadlessOptions{o.dump_png}));
#if UDMAVIEW_HAVE_KMS
    if (o.output == "kms") {
        Result<ScaleMode> scale = parse_scale_mode(o.scale);
        if (!scale)
            return scale.error();
        kms::KmsOptions k;
        k.device = o.device;
        k.connector = o.connector;
        k.mode = o.mode;
        k.scale = *scale;
        k.verbose = o.verbose;
        return std::unique_ptr<Output>(
            std::make_unique<kms::KmsOutput>(kms_options_from_env(std::move(k))));
    }
#endif
    if (o.output == "kms")
        return Error{"--output kms: not built into this udmaview (it needs libdrm: install "
                     "libdrm-dev and rebuild)",
                     ENOTSUP};
#if UDMAVIEW_HAVE_SDL
    if (o.output == "sdl") {
        Result<ScaleMode> scale = parse_scale_mode(o.scale);
        if (!scale)
            return scale.error();
        SdlOptions sdl;
        sdl.width = o.width;
        sdl.height = o.height;
        sdl.scale = *scale;
        sdl.linear = o.filter != "nearest";
        sdl.vsync = o.vsync != "off";
        sdl.fullscreen = o.fullscreen;
        sdl.verbose = o.verbose;
        sdl.dump_png = o.dump_png;
        return std::unique_ptr<Output>(std::make_unique<SdlOutput>(sdl_options_from_env(sdl)));
    }
#endif
    if (o.output == "sdl")
        return Error{"--output sdl: not built into this udmaview (it needs SDL2, EGL and GLESv2: "
                     "install libsdl2-dev libegl-dev libgles-dev and rebuild)",
                     ENOTSUP};
    return Error{"--output " + o.output + ": unknown output", EINVAL};
}

} // namespace udmaview
