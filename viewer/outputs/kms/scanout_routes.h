// SPDX-License-Identifier: MIT
// The KMS output's three scan-out routes (plane, gl, cpu), which one is current, and what their
// refusals taught the path choice (path_choice.h). A frame's path is chosen here from the card,
// the buffer and the mode; everything every route must hear (a new configuration, a modeset
// done, a flip shown, a buffer retired, the pointer, a source ended) goes to all of them.
#pragma once

#include <array>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "outputs/kms/cpu_route.h"
#include "outputs/kms/kms_display.h"
#include "outputs/kms/kms_options.h"
#include "outputs/kms/path_choice.h"
#include "outputs/kms/plane_route.h"
#include "outputs/kms/scanout_route.h"

namespace udmaview::kms {

class ScanoutRoutes {
public:
    // options must outlive this object (the routes keep a reference).
    explicit ScanoutRoutes(const KmsOptions& options);
    ScanoutRoutes(const ScanoutRoutes&) = delete;
    ScanoutRoutes& operator=(const ScanoutRoutes&) = delete;

    // Why no frame can be shown whatever comes (several sources or --kms-path gl in a build
    // without GL); "" : fine.
    std::string refusal() const;
    // The path for buffer on mode; its one line (why not the plane) is said once.
    ScanoutPath choose(const KmsDisplay& display, const Buffer& buffer,
                       const drmModeModeInfo& mode);
    // path's route becomes current; every route lets go of the old configuration once it is
    // off screen.
    ScanoutRoute& use(ScanoutPath path, KmsDisplay& display);
    ScanoutRoute* current() const { return current_; }
    // The route that answers Ctrl+Alt+H: the current one, else the plane's (its line says
    // where the overlay is shown).
    ScanoutRoute& hud_route() { return current_ ? *current_ : plane_; }
    Announcer& announcer() { return announcer_; }

    // What every route hears.
    void modeset_done();
    void shown(const Flip& flip, uint64_t presented_ns); // the route whose buffer it was
    void retire(KmsDisplay& display, BufferId id);
    void set_cursor(const CursorState& cursor);
    void source_ended(uint32_t source);
    std::vector<std::pair<std::string, uint64_t>> counters() const;
    // Everything goes (the output stops); none is current.
    void clear();

private:
    PathInputs inputs(const KmsDisplay* display) const;
    RouteContext context();
    // f on every route built (no gl in a build without GBM/EGL).
    template <class F> void each(F f) {
        f(static_cast<ScanoutRoute&>(plane_));
        f(static_cast<ScanoutRoute&>(cpu_));
        if (gl_)
            f(*gl_);
    }

    const KmsOptions& options_;
    PathFacts facts_;
    Announcer announcer_;
    PlaneRoute plane_;
    CpuRoute cpu_;
    std::unique_ptr<ScanoutRoute> gl_; // nullptr: built without GBM/EGL
    ScanoutRoute* current_ = nullptr;
};

} // namespace udmaview::kms
