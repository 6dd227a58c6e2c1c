// SPDX-License-Identifier: MIT
#include "cli/output_factory.h"

#include <cerrno>
#include <ostream>

#include "outputs/headless/headless_output.h"
#include "udmaview_config.h"
#if UDMAVIEW_HAVE_SDL
#include "outputs/sdl/sdl_output.h"
#endif
#if UDMAVIEW_HAVE_WAYLAND
#include "outputs/wayland/wayland_output.h"
#endif
#if UDMAVIEW_HAVE_KMS
#include "outputs/kms/kms_output.h"
#include "outputs/kms/kms_resources.h"
#endif

namespace udmaview {

namespace {

// Where a feature was left out at configure time: what to install before rebuilding.
[[maybe_unused]] Error not_built(const std::string& what, const char* needs) {
    return Error{what + ": not built into this udmaview (it needs " + needs + " and rebuild)",
                 ENOTSUP};
}

Result<std::unique_ptr<Output>> make_kms([[maybe_unused]] const Options& o,
                                         [[maybe_unused]] const TestHooks& hooks) {
#if UDMAVIEW_HAVE_KMS
    kms::KmsOptions k;
    k.device = o.device;
    k.connector = o.connector;
    k.mode = o.mode;
    k.scale = o.scale;
    k.linear = o.linear_filter;
    k.path = o.kms_path == "plane"                         ? kms::KmsPath::Plane
             : o.kms_path == "gl"                          ? kms::KmsPath::Gl
             : o.kms_path == "cpu" || o.kms_path == "copy" ? kms::KmsPath::Copy
                                                           : kms::KmsPath::Auto;
    k.verbose = o.verbose;
    k.hud = o.hud;
    k.atomic = !hooks.kms_legacy;
    k.take_over = o.take_over;
    k.sources = uint32_t(o.sources.size());
    // Options' own SourceOptions are the first source's.
    k.follow_guest_size =
        k.sources == 1 && o.follow_size &&
        (o.source.kind == SourceSpec::Kind::Qemu || o.source.kind == SourceSpec::Kind::Libvirt);
    return std::unique_ptr<Output>(std::make_unique<kms::KmsOutput>(std::move(k)));
#else
    return not_built("--output kms", "libdrm: install libdrm-dev");
#endif
}

Result<std::unique_ptr<Output>> make_sdl([[maybe_unused]] const Options& o,
                                         [[maybe_unused]] const TestHooks& hooks) {
#if UDMAVIEW_HAVE_SDL
    SdlOptions sdl;
    sdl.width = o.size.width;
    sdl.height = o.size.height;
    sdl.scale = o.scale;
    sdl.linear = o.linear_filter;
    sdl.vsync = o.vsync;
    sdl.fullscreen = o.fullscreen;
    sdl.verbose = o.verbose;
    sdl.dump_png = o.dump_png;
    sdl.allow_import = !hooks.egl_no_import;
    sdl.hold_ms = hooks.sdl_hold_ms;
    sdl.hud = o.hud;
    sdl.sources = uint32_t(o.sources.size());
    sdl.path = o.sdl_path == "gl"         ? SdlPath::Gl
               : o.sdl_path == "software" ? SdlPath::Software
                                          : SdlPath::Auto;
    return std::unique_ptr<Output>(std::make_unique<SdlOutput>(std::move(sdl)));
#else
    return not_built("--output sdl",
                     "SDL2, EGL and GLESv2: install libsdl2-dev libegl-dev libgles-dev");
#endif
}

Result<std::unique_ptr<Output>> make_wayland([[maybe_unused]] const Options& o,
                                             [[maybe_unused]] const TestHooks& hooks) {
#if UDMAVIEW_HAVE_WAYLAND
    WaylandOptions w;
    w.display = o.wayland_display;
    w.width = o.size.width;
    w.height = o.size.height;
    w.scale = o.scale;
    w.fullscreen = o.fullscreen;
    w.verbose = o.verbose;
    w.sources = uint32_t(o.sources.size());
    w.hold_ms = hooks.sdl_hold_ms;
    return std::unique_ptr<Output>(std::make_unique<WaylandOutput>(std::move(w)));
#else
    return not_built("--output wayland",
                     "libwayland-client and wayland-protocols: install libwayland-dev "
                     "wayland-protocols");
#endif
}

} // namespace

Status list_displays([[maybe_unused]] const Options& o, [[maybe_unused]] std::ostream& out) {
#if UDMAVIEW_HAVE_KMS
    return kms::list_cards(out, o.device);
#else
    return not_built("--list (the kms output)", "libdrm: install libdrm-dev");
#endif
}

Result<std::unique_ptr<Output>> make_output(const Options& o, const TestHooks& hooks) {
    switch (o.output) {
    case OutputKind::Headless:
        return std::unique_ptr<Output>(std::make_unique<HeadlessOutput>(
            HeadlessOptions{.dump_png = o.dump_png,
                            .render = o.render == "gl"       ? HeadlessRender::Gl
                                      : o.render == "pixman" ? HeadlessRender::Pixman
                                                             : HeadlessRender::Cpu,
                            .width = o.render_size.width,
                            .height = o.render_size.height,
                            .scale = o.scale,
                            .linear = o.linear_filter,
                            .allow_import = !hooks.egl_no_import,
                            .verbose = o.verbose}));
    case OutputKind::Kms:
        return make_kms(o, hooks);
    case OutputKind::Sdl:
        return make_sdl(o, hooks);
    case OutputKind::Wayland:
        return make_wayland(o, hooks);
    }
    return Error{std::string("--output ") + to_string(o.output) + ": unknown output", EINVAL};
}

} // namespace udmaview
