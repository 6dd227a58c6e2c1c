// SPDX-License-Identifier: MIT
#include "outputs/kms/scanout_routes.h"

#include <xf86drm.h>

namespace udmaview::kms {

RouteContext ScanoutRoutes::context() {
    return {options_, facts_, announcer_, [this] {
                return fallback_note(inputs(nullptr));
            }};
}

ScanoutRoutes::ScanoutRoutes(const KmsOptions& options)
    : options_(options)
    , plane_(context())
    , cpu_(context(), options.hud)
    , gl_(make_gl_route(context(), options.hud)) {}

PathInputs ScanoutRoutes::inputs(const KmsDisplay* display) const {
    PathInputs in;
    in.asked = options_.path;
    in.sources = options_.sources;
    in.gl_built = bool(gl_);
    in.gl_refused = facts_.gl_refused;
    in.gl_software = facts_.gl_software;
    in.import_refused = facts_.import_refused;
    if (display) {
        in.driver = display->driver();
        in.plane_id = display->pipeline().plane.id;
    }
    return in;
}

std::string ScanoutRoutes::refusal() const {
    return choose_scanout_path(inputs(nullptr)).refusal;
}

ScanoutPath ScanoutRoutes::choose(const KmsDisplay& display, const Buffer& buffer,
                                  const drmModeModeInfo& mode) {
    const Layout& l = buffer.layout();
    PathInputs in = inputs(&display);
    // Whether the plane can place the picture depends on the mode it is placed on.
    in.placement_refused = facts_.no_direct ==
                           std::array<uint32_t, 4>{l.width, l.height, mode.hdisplay, mode.vdisplay};
    in.dmabuf = bool(buffer.dmabuf());
    in.plane_format = display.pipeline().plane.supports(l.format->fourcc);
    in.modifier_ok =
        l.modifier == modifier_linear || display.device().has_cap(DRM_CAP_ADDFB2_MODIFIERS);
    in.origin = buffer.origin();
    in.format_name = l.format->name;
    const PathChoice choice = choose_scanout_path(in);
    if (!choice.line.empty())
        announcer_.say(choice.key, choice.line);
    if (options_.hud && choice.path == ScanoutPath::Plane)
        announcer_.say("hud", "kms: --hud: the plane path scans out the guest's buffer and shows "
                              "no overlay; use --kms-path cpu or gl for it");
    return choice.path;
}

ScanoutRoute& ScanoutRoutes::use(ScanoutPath path, KmsDisplay& display) {
    current_ = &cpu_;
    if (path == ScanoutPath::Plane)
        current_ = &plane_;
    else if (path == ScanoutPath::Gl && gl_) // start() refused every choice that needs GL
        current_ = gl_.get();
    each([&](ScanoutRoute& r) { r.reset(display, &r == current_); });
    return *current_;
}

void ScanoutRoutes::modeset_done() {
    each([](ScanoutRoute& r) { r.modeset_done(); });
}

void ScanoutRoutes::shown(const Flip& flip, uint64_t presented_ns) {
    if (flip.dumb_index >= 0)
        cpu_.shown(flip, presented_ns);
    else if (gl_)
        gl_->shown(flip, presented_ns);
}

void ScanoutRoutes::retire(KmsDisplay& display, BufferId id) {
    each([&](ScanoutRoute& r) { r.retire(display, id); });
}

void ScanoutRoutes::set_cursor(const CursorState& cursor) {
    each([&](ScanoutRoute& r) { r.set_cursor(cursor); });
}

void ScanoutRoutes::source_ended(uint32_t source) {
    // Kept by every route, for whichever path shows the tiles.
    each([&](ScanoutRoute& r) { r.source_ended(source); });
}

std::vector<std::pair<std::string, uint64_t>> ScanoutRoutes::counters() const {
    std::vector<std::pair<std::string, uint64_t>> all = cpu_.counters();
    if (gl_)
        for (auto& c : gl_->counters())
            all.push_back(std::move(c));
    return all;
}

void ScanoutRoutes::clear() {
    each([](ScanoutRoute& r) { r.clear(); });
    current_ = nullptr;
}

} // namespace udmaview::kms
