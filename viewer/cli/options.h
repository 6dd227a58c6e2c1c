// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "udmaview/error.h"
#include "udmaview/format.h"

namespace udmaview {

// Everything the command line can say. Parsing is separate from running so it can be tested.
struct Options {
    // what to show, where
    std::string source = "demo";     // demo | region:SPEC | qemu[:ADDRESS] | qemu-p2p:QMP_SOCKET
    std::string output = "headless"; // headless | kms | sdl

    // how long
    uint64_t frames = 0;     // 0: until stopped
    double duration_s = 0;   // 0: until stopped
    std::string timing_file; // .json or .csv

    // demo source
    uint32_t width = 1024, height = 768;
    const Format* format = nullptr; // XRGB8888 when unset
    double fps = 60;
    std::string pattern = "all";
    uint64_t seed = 1;
    bool no_udmabuf = false;

    // qemu source
    uint32_t console = 0;
    bool reconnect = false;

    // outputs
    std::string dump_png;          // headless
    std::string device;            // kms: /dev/dri/cardN
    std::string connector;         // kms: name or id
    std::string mode;              // kms: WxH[@R]
    std::string scale = "fit";     // kms, sdl: fit | integer | none
    std::string filter = "linear"; // sdl: nearest | linear
    std::string vsync = "on";      // sdl: on | off
    bool fullscreen = false;       // sdl
    bool list = false;             // kms: list devices and exit

    bool verbose = false;
    bool help = false;
    bool version = false;
};

// Parses argv (without argv[0]). Errors name the option and the accepted values.
Result<Options> parse_options(const std::vector<std::string>& args);
std::string help_text();

// "1280x720" → width, height (each 1..16384).
Status parse_size(const std::string& text, uint32_t& width, uint32_t& height);

} // namespace udmaview
