// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cli/source_spec.h"
#include "sources/demo/demo_scene.h"
#include "udmaview/error.h"
#include "udmaview/format.h"
#include "udmaview/parse.h"
#include "udmaview/scale_mode.h"

namespace udmaview {

enum class OutputKind { Headless, Kms, Sdl, Wayland };
const char* to_string(OutputKind kind);

// One --source and the source options that apply to it: the ones given after it, before the
// next --source, on top of the ones given before the first --source (defaults for all).
struct SourceOptions {
    SourceSpec source; // --source

    // demo source
    Size size{1024, 768};
    const Format* format = nullptr; // XRGB8888 when unset
    double fps = 60;
    unsigned patterns = DemoScene::All; // DemoScene::Pattern bits
    uint64_t seed = 1;
    bool no_udmabuf = false;

    // qemu source
    uint32_t console = 0;
    bool reconnect = false;
    bool follow_size = true; // --guest-size follow (qemu, libvirt); keep: false

    // libvirt source
    std::string connect; // --connect URI ("" = LIBVIRT_DEFAULT_URI, else qemu:///system)
};

// How many --source one run may show: a 4×4 grid of tiles.
constexpr size_t max_sources = 16;

// Everything the command line can say, each value parsed and checked once, here. Sources and
// outputs never see this struct: the factories turn it into their own typed options. The
// SourceOptions part is the first (or only) source's, so single-source code reads it as is.
struct Options : SourceOptions {
    // every --source in order with its own options; one entry (the defaults) without --source
    std::vector<SourceOptions> sources;
    OutputKind output = OutputKind::Headless; // --output

    // how long
    uint64_t frames = 0;     // 0: until stopped; with several sources, N frames of each
    double duration_s = 0;   // 0: until stopped
    std::string timing_file; // .json or .csv

    // outputs
    std::string dump_png;          // headless, sdl
    std::string render = "cpu";    // headless: --render cpu|gl|pixman
    Size render_size{0, 0};        // headless --render gl|pixman: 0x0 is the buffer's size
    std::string device;            // kms: /dev/dri/cardN
    std::string connector;         // kms: name or id
    std::string mode;              // kms: WxH[@R], parsed by the kms output against the connector
    std::string kms_path = "auto"; // kms: auto, plane, gl or copy
    ScaleMode scale = ScaleMode::Fit;
    bool linear_filter = true;     // kms (gl, cpu paths), sdl: --filter linear
    std::string sdl_path = "auto"; // sdl: --sdl-path auto|gl|software
    bool vsync = true;             // sdl
    bool fullscreen = false;       // sdl, wayland
    std::string wayland_display;   // wayland: socket name or path ("" : $WAYLAND_DISPLAY)
    bool hud = false;              // sdl, kms gl path: the live timing overlay
    bool list = false;             // kms: list devices and exit
    bool take_over = false;        // kms: reset a VT a dead program left in graphics mode

    bool verbose = false;
    bool help = false;
    bool version = false;
};

// Parses argv (without argv[0]). Errors name the option and the accepted values.
Result<Options> parse_options(const std::vector<std::string>& args);
std::string help_text();

} // namespace udmaview
