// SPDX-License-Identifier: MIT
// One way a frame reaches the screen (plane, gl, cpu), behind one interface: update() brings
// a frame's picture (its tile, with several sources) up to date, prepare() says what to show
// for the frames of a round, and the display's one present rule (present_rule.h) shows it.
// A route that cannot show a frame refuses it: it records why in the path facts, says so on
// one line, and the output chooses the path again.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "outputs/kms/evdev_keyboard.h"
#include "outputs/kms/kms_display.h"
#include "outputs/kms/kms_options.h"
#include "outputs/kms/path_choice.h"
#include "render/tile_layout.h"
#include "udmaview/cursor.h"
#include "udmaview/output.h"

namespace udmaview::kms {

// What a refusal taught the path choice, kept for the output's whole run.
struct PathFacts {
    std::string import_refused; // why the import path is off ("" : allowed)
    // A picture the plane cannot show directly on a mode (picture width, height, mode width,
    // height; placement refused by the test commit).
    std::optional<std::array<uint32_t, 4>> no_direct;
    std::string gl_refused;  // why GBM/EGL cannot start ("" : not tried, or running)
    std::string gl_software; // GL_RENDERER, a CPU rasterizer auto does not use ("" : not seen)
};

// Each line said once per run.
class Announcer {
public:
    void say(const std::string& key, const std::string& line);

private:
    std::set<std::string> said_;
};

// What every route works with.
struct RouteContext {
    const KmsOptions& options;
    PathFacts& facts;
    Announcer& announcer;
    // "; composing it with GL" or "...pixman": the end of a line about the plane's refusal.
    std::function<std::string()> fallback_note;
};

// The focus and layout of several sources' tiles.
struct TileState {
    TileMode mode = TileMode::Grid;
    uint32_t focus = 0;
};

class ScanoutRoute {
public:
    virtual ~ScanoutRoute() = default;
    virtual ScanoutPath path() const = 0;

    // The display has a new mode or another route became current (current: this one is):
    // what belonged to the old configuration goes once it is off screen.
    virtual void reset(KmsDisplay& display, bool current) = 0;
    // A modeset put this configuration on screen: what reset() kept for the old one goes.
    virtual void modeset_done() {}
    // Brings frame's picture up to date, counting imports and bytes in stats. False: refused
    // (facts and the one line updated), choose again.
    virtual Result<bool> update(KmsDisplay& display, const Frame& frame, SubmitStats& stats) = 0;
    // What to show for the frames of the round (their seqs go into shown.flip); shown.fb_id
    // 0: nothing changed. False: refused, choose again.
    virtual Result<bool> prepare(KmsDisplay& display, const std::vector<PendingFrame>& frames,
                                 Shown& shown) = 0;
    // The present of shown failed with error: its buffer is free again. True: the route
    // refuses such frames from now on (facts and the one line updated), choose again.
    virtual bool dropped(const KmsDisplay&, const Shown&, const Error&) { return false; }
    // The flip (or modeset, or no change) of flip is on screen since presented_ns.
    virtual void shown(const Flip& flip, uint64_t presented_ns) = 0;
    // The source let go of the buffer.
    virtual void retire(KmsDisplay& display, BufferId id) = 0;
    // Everything goes (the output stops).
    virtual void clear() = 0;

    // The guest pointer's new state, drawn from the next prepare() (the plane draws none).
    virtual void set_cursor(const CursorState&) {}
    // Ctrl+Alt+H; false with its line when this route shows no overlay.
    virtual Status toggle_hud() = 0;
    virtual bool hud_visible() const { return false; }
    // Several sources: the tiles' state, a chord, "ended" on a tile. nullopt: no tiles here.
    virtual std::optional<TileState> tiles() const { return std::nullopt; }
    virtual bool tile_key(KeyAction, bool /*verbose*/) { return false; }
    virtual void source_ended(uint32_t) {}
    virtual std::vector<std::pair<std::string, uint64_t>> counters() const { return {}; }
};

// The frames' seqs, for the flip that shows them.
std::vector<uint64_t> round_seqs(const std::vector<PendingFrame>& frames);

// The GLES route, or nullptr in a build without GBM/EGL: the one place that knows.
std::unique_ptr<ScanoutRoute> make_gl_route(RouteContext ctx, bool hud);

} // namespace udmaview::kms
