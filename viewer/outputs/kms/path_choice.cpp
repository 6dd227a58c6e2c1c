// SPDX-License-Identifier: MIT
#include "outputs/kms/path_choice.h"

namespace udmaview::kms {

const char* scanout_path_name(ScanoutPath path) {
    switch (path) {
    case ScanoutPath::Plane:
        return "plane";
    case ScanoutPath::Gl:
        return "gl";
    case ScanoutPath::Cpu:
        return "cpu";
    }
    return "?";
}

ScanoutPath fallback_path(const PathInputs& in) {
    return in.asked == KmsPath::Auto && in.gl_built && in.gl_refused.empty() &&
                   in.gl_software.empty()
               ? ScanoutPath::Gl
               : ScanoutPath::Cpu;
}

std::string fallback_note(const PathInputs& in) {
    return fallback_path(in) == ScanoutPath::Gl ? "; composing it with GL"
                                                : "; composing it with pixman";
}

std::string auto_cpu_line(const std::string& gl_renderer, const std::string& gl_error) {
    const std::string head = "kms: --kms-path auto chose cpu: ";
    if (gl_renderer.empty())
        return head + "GLES cannot start here (" + gl_error +
               "); pixman draws only the changed pixels into dumb buffers";
    return head + "the GL renderer is " + gl_renderer +
           ", a CPU rasterizer that would redraw the whole screen; pixman draws only the "
           "changed pixels into dumb buffers (use --kms-path gl to use GL anyway)";
}

namespace {

PathChoice off_plane(const PathInputs& in, std::string key, std::string line) {
    return {fallback_path(in), std::move(key), std::move(line), {}};
}

} // namespace

PathChoice choose_scanout_path(const PathInputs& in) {
    if (in.asked == KmsPath::Copy)
        return {ScanoutPath::Cpu, {}, {}, {}};
    if (in.asked == KmsPath::Gl) {
        if (!in.gl_built)
            return {ScanoutPath::Gl,
                    {},
                    {},
                    "kms: --kms-path gl: this udmaview was built without GBM/EGL (install "
                    "libgbm-dev libegl-dev libgles-dev and rebuild)"};
        return {ScanoutPath::Gl, {}, {}, {}};
    }
    if (in.sources > 1) // tiles: one picture of several buffers, which only composition makes
        return {fallback_path(in), {}, {}, {}};
    if (!in.import_refused.empty() || in.placement_refused) // said where it was refused
        return off_plane(in, {}, {});
    if (!in.dmabuf)
        return off_plane(in, "no-dmabuf",
                         "kms: buffers from " + in.origin +
                             " have no dma-buf (no /dev/udmabuf or --no-udmabuf)" +
                             fallback_note(in));
    if (!in.plane_format)
        return off_plane(in, "format",
                         "kms: plane " + std::to_string(in.plane_id) + " of " + in.driver +
                             " cannot scan out " + in.format_name + fallback_note(in));
    if (!in.modifier_ok)
        return off_plane(in, "modifier",
                         "kms: " + in.driver +
                             " takes no format modifiers and the buffer is not linear" +
                             fallback_note(in));
    return {ScanoutPath::Plane, {}, {}, {}};
}

} // namespace udmaview::kms
