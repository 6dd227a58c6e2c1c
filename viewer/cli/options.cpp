// SPDX-License-Identifier: MIT
#include "cli/options.h"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <functional>
#include <map>

#include "udmaview_config.h"

namespace udmaview {

namespace {

Error usage(const std::string& message) {
    return Error{message + " (see udmaview --help)", EINVAL};
}

template <typename T>
Status parse_number(const std::string& opt, const std::string& text, T& out, T min, T max) {
    T value{};
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc() || ptr != end || text.empty() || value < min || value > max)
        return usage(opt + ": '" + text + "' is not a number from " + std::to_string(min) + " to " +
                     std::to_string(max));
    out = value;
    return {};
}

Status parse_double(const std::string& opt, const std::string& text, double& out, double min,
                    double max) {
    size_t used = 0;
    double value = 0;
    try {
        value = std::stod(text, &used);
    } catch (...) {
        used = 0;
    }
    if (used != text.size() || text.empty() || !std::isfinite(value) || value < min || value > max)
        return usage(opt + ": '" + text + "' is not a number from " + std::to_string(int(min)) +
                     " to " + std::to_string(int(max)));
    out = value;
    return {};
}

Status one_of(const std::string& opt, const std::string& text,
              std::initializer_list<const char*> choices) {
    std::string list;
    for (const char* c : choices) {
        if (text == c)
            return {};
        list += list.empty() ? c : std::string(", ") + c;
    }
    return usage(opt + ": '" + text + "' is not one of " + list);
}

} // namespace

Status parse_size(const std::string& text, uint32_t& width, uint32_t& height) {
    const size_t x = text.find('x');
    if (x == std::string::npos)
        return usage("--size: '" + text + "' is not WIDTHxHEIGHT (e.g. 1280x720)");
    uint32_t w = 0, h = 0;
    if (!parse_number<uint32_t>("--size width", text.substr(0, x), w, 1, 16384) ||
        !parse_number<uint32_t>("--size height", text.substr(x + 1), h, 1, 16384))
        return usage("--size: '" + text +
                     "' needs width and height from 1 to 16384 (e.g. 1280x720)");
    width = w;
    height = h;
    return {};
}

std::string help_text() {
    return R"(Usage: udmaview [OPTIONS]
Shows a virtual machine's framebuffer without copying pixels: guest memory (a memfd) becomes
a dma-buf through /dev/udmabuf and is imported by the output; only damage is redrawn.

Source and output:
  --source SRC        where frames come from (default demo):
                        demo                 built-in animated test picture (own memfd)
                        region:SPEC          a framebuffer inside a memfd/shm file
                        qemu[:ADDRESS]       QEMU -display dbus on the session bus or ADDRESS
                        qemu-p2p:QMP_SOCKET  QEMU -display dbus,p2p=yes via its QMP socket
  --output OUT        where frames go (default headless): headless, kms, sdl
  --frames N          stop after N source frames (default: run until stopped)
  --duration SECONDS  stop after this long
  --timing FILE       write per-frame timing to FILE (.json or .csv); a summary is always
                      printed when the run ends
  --verbose           log every frame

Demo source:
  --size WxH          picture size (default 1024x768, each 1..16384)
  --format FMT        pixel format: XRGB8888 (XR24, default), ARGB8888 (AR24), XBGR8888 (XB24),
                      ABGR8888 (AB24), RGBX8888 (RX24), BGRX8888 (BX24), RGB888 (RG24),
                      BGR888 (BG24), RGB565 (RG16)
  --fps N             frames per second (default 60; 0 = as fast as possible)
  --pattern LIST      rects, console, flip or all, comma separated (default all)
  --seed N            seed of the picture (default 1); same seed, same pixels
  --no-udmabuf        do not make dma-bufs; outputs map the memfd (the fallback path)

QEMU source:
  --console N         which QEMU console to show (default 0)
  --reconnect         when QEMU goes away, wait for it to come back instead of exiting

Outputs:
  --dump-png FILE     headless: write the last frame as PNG when the run ends
  --device PATH       kms: DRM device (default: first card with a connected connector)
  --connector NAME    kms: connector name (e.g. Virtual-1) or id
  --mode WxH[@R]      kms: display mode (default: a mode of the source's size when the
                      connector has one, else the connector's preferred mode)
  --list              kms: list cards, connectors, modes and planes, then exit
  --scale MODE        kms, sdl: fit (default), integer or none
  --filter F          sdl: nearest or linear (default)
  --vsync on|off      sdl: wait for vertical blank when swapping (default on)
  --fullscreen        sdl: start full screen (F11 or Ctrl+Alt+F toggles)

  -h, --help          show this text
  --version           show the version

Exit status: 0 done (frame limit, duration, signal or quit), 1 runtime error, 2 bad usage.
)";
}

Result<Options> parse_options(const std::vector<std::string>& args) {
    Options o;
    using Setter = std::function<Status(const std::string&)>;
    const std::map<std::string, Setter> with_value = {
        {"--source",
         [&](const std::string& v) -> Status {
             if (v == "demo" || v.rfind("region:", 0) == 0 || v == "qemu" ||
                 v.rfind("qemu:", 0) == 0 || v.rfind("qemu-p2p:", 0) == 0) {
                 o.source = v;
                 return {};
             }
             return usage("--source: '" + v +
                          "' is not demo, region:SPEC, qemu[:ADDRESS] or qemu-p2p:QMP_SOCKET");
         }},
        {"--output",
         [&](const std::string& v) -> Status {
             o.output = v;
             return one_of("--output", v, {"headless", "kms", "sdl"});
         }},
        {"--frames",
         [&](const std::string& v) {
             return parse_number<uint64_t>("--frames", v, o.frames, 1, uint64_t(1) << 40);
         }},
        {"--duration",
         [&](const std::string& v) {
             return parse_double("--duration", v, o.duration_s, 0.001, 31536000);
         }},
        {"--timing",
         [&](const std::string& v) -> Status {
             const bool json = v.size() > 5 && v.substr(v.size() - 5) == ".json";
             const bool csv = v.size() > 4 && v.substr(v.size() - 4) == ".csv";
             if (!json && !csv)
                 return usage("--timing: '" + v + "' must end in .json or .csv");
             o.timing_file = v;
             return {};
         }},
        {"--size",
         [&](const std::string& v) {
             return parse_size(v, o.width, o.height);
         }},
        {"--format",
         [&](const std::string& v) -> Status {
             Result<const Format*> f = parse_format(v);
             if (!f)
                 return usage("--format: " + f.error().message);
             o.format = *f;
             return {};
         }},
        {"--fps",
         [&](const std::string& v) {
             return parse_double("--fps", v, o.fps, 0, 1000);
         }},
        {"--pattern",
         [&](const std::string& v) -> Status {
             o.pattern = v;
             return {}; // checked by the demo source, which owns the pattern names
         }},
        {"--seed",
         [&](const std::string& v) {
             return parse_number<uint64_t>("--seed", v, o.seed, 0, UINT64_MAX);
         }},
        {"--console",
         [&](const std::string& v) {
             return parse_number<uint32_t>("--console", v, o.console, 0, 255);
         }},
        {"--dump-png",
         [&](const std::string& v) -> Status {
             if (v.empty())
                 return usage("--dump-png: needs a file name");
             o.dump_png = v;
             return {};
         }},
        {"--device",
         [&](const std::string& v) -> Status {
             o.device = v;
             return {};
         }},
        {"--connector",
         [&](const std::string& v) -> Status {
             o.connector = v;
             return {};
         }},
        {"--mode",
         [&](const std::string& v) -> Status {
             o.mode = v;
             return {};
         }},
        {"--scale",
         [&](const std::string& v) {
             o.scale = v;
             return one_of("--scale", v, {"fit", "integer", "none"});
         }},
        {"--filter",
         [&](const std::string& v) {
             o.filter = v;
             return one_of("--filter", v, {"nearest", "linear"});
         }},
        {"--vsync",
         [&](const std::string& v) {
             o.vsync = v;
             return one_of("--vsync", v, {"on", "off"});
         }},
    };
    const std::map<std::string, bool*> flags = {
        {"--verbose", &o.verbose},     {"-v", &o.verbose},
        {"--help", &o.help},           {"-h", &o.help},
        {"--version", &o.version},     {"--no-udmabuf", &o.no_udmabuf},
        {"--reconnect", &o.reconnect}, {"--fullscreen", &o.fullscreen},
        {"--list", &o.list},
    };

    for (size_t i = 0; i < args.size(); ++i) {
        std::string arg = args[i], value;
        bool inline_value = false;
        if (const size_t eq = arg.find('='); arg.rfind("--", 0) == 0 && eq != std::string::npos) {
            value = arg.substr(eq + 1);
            arg = arg.substr(0, eq);
            inline_value = true;
        }
        if (auto f = flags.find(arg); f != flags.end()) {
            if (inline_value)
                return usage(arg + " takes no value");
            *f->second = true;
            continue;
        }
        auto s = with_value.find(arg);
        if (s == with_value.end())
            return usage("unknown option '" + args[i] + "'");
        if (!inline_value) {
            if (i + 1 >= args.size())
                return usage(arg + " needs a value");
            value = args[++i];
        }
        if (Status st = s->second(value); !st)
            return st.error();
    }
    return o;
}

} // namespace udmaview
