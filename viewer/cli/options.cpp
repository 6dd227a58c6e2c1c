// SPDX-License-Identifier: MIT
#include "cli/options.h"

#include <cerrno>
#include <functional>
#include <map>

namespace udmaview {

namespace {

Error usage(const std::string& message) {
    return Error{message + " (see udmaview --help)", EINVAL};
}

// Each option's value goes through exactly one of these; the message names the option.
template <typename T>
Status parse_number(const std::string& opt, const std::string& text, T& out, T min, T max) {
    Result<uint64_t> value = parse_uint(text, min, max);
    if (!value)
        return usage(opt + ": " + value.error().message);
    out = T(*value);
    return {};
}

Status parse_real(const std::string& opt, const std::string& text, double& out, double min,
                  double max) {
    Result<double> value = parse_double(text, min, max);
    if (!value)
        return usage(opt + ": " + value.error().message);
    out = *value;
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

const char* to_string(OutputKind kind) {
    switch (kind) {
    case OutputKind::Headless:
        return "headless";
    case OutputKind::Kms:
        return "kms";
    case OutputKind::Sdl:
        return "sdl";
    }
    return "?";
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
                        libvirt:DOMAIN       a libvirt domain (name or UUID) with
                                             <graphics type='dbus'>; only in builds with
                                             libvirt (meson -Dlibvirt, libvirt-dev)
                      repeat it to show up to 16 sources in tiles (sdl, kms gl path):
                      the demo and QEMU options after a --source apply to that source
                      alone, those before the first --source to every source; --frames N
                      counts N frames of each. Keys and mouse go to the framed tile:
                      Ctrl+Alt+Left/Right moves the focus, Ctrl+Alt+L shows the focused
                      source alone or the grid; a source that ends shows "ended" and the
                      run ends when all have
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
                      (libvirt: wait for a shut-off domain, follow its restarts)

libvirt source:
  --connect URI       libvirt connection (default: $LIBVIRT_DEFAULT_URI, else
                      qemu:///system, as virsh); --console N picks the QEMU console

Outputs:
  --dump-png FILE     headless: write the last frame as PNG when the run ends
  --render cpu|gl     headless: cpu (default) maps each buffer and reads pixels only for
                      --dump-png; gl draws every frame with the GLES renderer into an
                      offscreen framebuffer on the EGL device platform (a GPU's device,
                      else Mesa 25's software device, which imports the buffer zero copy:
                      path gl-import), with --scale and --filter; the dump is that
                      picture (without the pointer)
  --render-size WxH   headless --render gl: the picture's size (default: the buffer's)
  --device PATH       kms: DRM device (default: first card with a connected connector)
  --connector NAME    kms: connector name (e.g. Virtual-1) or id
  --mode WxH[@R]      kms: display mode (default: a mode of the source's size when the
                      connector has one, else the connector's preferred mode)
  --list              kms: list cards, connectors, modes and planes, then exit
  --kms-path PATH     kms: how frames reach the screen: auto (default: the plane scans out
                      the guest's buffer where it can place it as asked, else GL composition,
                      else the CPU copy), plane (else cpu), gl, or cpu (the CPU copies
                      damaged regions into dumb buffers; copy is another name for it)
  --take-over         kms: use a VT that a program which died left in graphics mode (reset it)
  --scale MODE        kms, sdl, headless --render gl: fit (default), integer or none
  --filter F          kms (gl path), sdl, headless --render gl: nearest or linear (default)
  --vsync on|off      sdl: wait for vertical blank when swapping (default on)
  --sdl-path gl|software
                      sdl: how the window is drawn: gl (default: GLES on EGL) or software
                      (no GL: the CPU writes only the changed pixels into SDL's window
                      surface and puts only those rectangles on screen, XShmPutImage on
                      X11; for hosts without a GPU, where GL means llvmpipe redrawing the
                      whole window). software always samples the nearest pixel when
                      scaling (an explicit --filter linear is refused); it shows one
                      --source, has no --hud and does not wait for vertical blank
  --fullscreen        sdl: start full screen (F11 or Ctrl+Alt+F toggles)
  --hud               sdl, kms (gl path): overlay fps, latency and copy counters with a
                      latency graph (Ctrl+Alt+H toggles)

  -h, --help          show this text
  --version           show the version

Exit status: 0 done (frame limit, duration, signal or quit), 1 runtime error, 2 bad usage.
)";
}

namespace {

// What several sources cannot do (yet): checked once every option is known.
Status check_sources(const Options& o) {
    if (o.sources.size() < 2)
        return {};
    if (o.output == OutputKind::Kms && o.kms_path != "auto" && o.kms_path != "gl")
        return usage("--kms-path " + o.kms_path + " shows one --source (" +
                     std::to_string(o.sources.size()) +
                     " given): several are composed by GL (--kms-path gl or auto)");
    if (o.output == OutputKind::Sdl && o.sdl_software)
        return usage("--sdl-path software shows one --source (" + std::to_string(o.sources.size()) +
                     " given): several are composed by GL (use --sdl-path gl)");
    if (o.output == OutputKind::Headless && !o.dump_png.empty())
        return usage("--dump-png with several --source needs --output sdl (the headless output "
                     "keeps no tiles)");
    return {};
}

Status check_render(const Options& o) {
    if (o.output != OutputKind::Headless && (o.render_gl || o.render_size.width))
        return usage("--render and --render-size are headless options (--output headless)");
    if (o.render_size.width && !o.render_gl)
        return usage("--render-size needs --render gl (the cpu path draws nothing)");
    return {};
}

} // namespace

// What the software path of the sdl output does not do: said at start, not found later.
Status check_sdl_path(const Options& o) {
    if (o.output != OutputKind::Sdl || !o.sdl_software)
        return {};
    if (o.hud)
        return usage("--hud needs --sdl-path gl: the software path draws no overlay");
    if (o.filter_given && o.linear_filter)
        return usage("--filter linear needs --sdl-path gl: the software path samples the "
                     "nearest pixel (use --filter nearest)");
    return {};
}

Result<Options> parse_options(const std::vector<std::string>& args) {
    Options o;
    o.sources.reserve(max_sources);
    // Source options go to the latest --source, or to the defaults before the first one.
    SourceOptions* cur = &o;
    using Setter = std::function<Status(const std::string&)>;
    const std::map<std::string, Setter> with_value = {
        {"--source",
         [&](const std::string& v) -> Status {
             Result<SourceSpec> spec = parse_source_spec(v);
             if (!spec)
                 return usage(spec.error().message);
             if (o.sources.size() == max_sources)
                 return usage("--source " + v + ": too many sources: the grid shows at most " +
                              std::to_string(max_sources) + " tiles (4x4)");
             SourceOptions next = o; // the defaults given so far
             next.source = std::move(*spec);
             o.sources.push_back(std::move(next));
             cur = &o.sources.back();
             return {};
         }},
        {"--output",
         [&](const std::string& v) -> Status {
             if (Status st = one_of("--output", v, {"headless", "kms", "sdl"}); !st)
                 return st;
             o.output = v == "kms"   ? OutputKind::Kms
                        : v == "sdl" ? OutputKind::Sdl
                                     : OutputKind::Headless;
             return {};
         }},
        {"--frames",
         [&](const std::string& v) {
             return parse_number<uint64_t>("--frames", v, o.frames, 1, uint64_t(1) << 40);
         }},
        {"--duration",
         [&](const std::string& v) {
             return parse_real("--duration", v, o.duration_s, 0.001, 31536000);
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
         [&](const std::string& v) -> Status {
             Result<Size> size = parse_size(v);
             if (!size)
                 return usage("--size: " + size.error().message);
             cur->size = *size;
             return {};
         }},
        {"--format",
         [&](const std::string& v) -> Status {
             Result<const Format*> f = parse_format(v);
             if (!f)
                 return usage("--format: " + f.error().message);
             cur->format = *f;
             return {};
         }},
        {"--fps",
         [&](const std::string& v) {
             return parse_real("--fps", v, cur->fps, 0, 1000);
         }},
        {"--pattern",
         [&](const std::string& v) -> Status {
             Result<unsigned> patterns = DemoScene::parse_patterns(v);
             if (!patterns)
                 return usage("--pattern: " + patterns.error().message);
             cur->patterns = *patterns;
             return {};
         }},
        {"--seed",
         [&](const std::string& v) {
             return parse_number<uint64_t>("--seed", v, cur->seed, 0, UINT64_MAX);
         }},
        {"--console",
         [&](const std::string& v) {
             return parse_number<uint32_t>("--console", v, cur->console, 0, 255);
         }},
        {"--connect",
         [&](const std::string& v) -> Status {
             if (v.empty())
                 return usage("--connect: needs a libvirt URI (e.g. qemu:///system)");
             cur->connect = v;
             return {};
         }},
        {"--render",
         [&](const std::string& v) -> Status {
             if (Status st = one_of("--render", v, {"cpu", "gl"}); !st)
                 return st;
             o.render_gl = v == "gl";
             return {};
         }},
        {"--render-size",
         [&](const std::string& v) -> Status {
             Result<Size> size = parse_size(v);
             if (!size)
                 return usage("--render-size: " + size.error().message);
             o.render_size = *size;
             return {};
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
         [&](const std::string& v) -> Status {
             Result<ScaleMode> scale = parse_scale_mode(v);
             if (!scale)
                 return usage(scale.error().message);
             o.scale = *scale;
             return {};
         }},
        {"--kms-path",
         [&](const std::string& v) -> Status {
             if (Status st = one_of("--kms-path", v, {"auto", "plane", "gl", "cpu", "copy"}); !st)
                 return st;
             o.kms_path = v;
             return {};
         }},
        {"--filter",
         [&](const std::string& v) -> Status {
             if (Status st = one_of("--filter", v, {"nearest", "linear"}); !st)
                 return st;
             o.linear_filter = v == "linear";
             o.filter_given = true;
             return {};
         }},
        {"--sdl-path",
         [&](const std::string& v) -> Status {
             if (Status st = one_of("--sdl-path", v, {"gl", "software"}); !st)
                 return st;
             o.sdl_software = v == "software";
             return {};
         }},
        {"--vsync",
         [&](const std::string& v) -> Status {
             if (Status st = one_of("--vsync", v, {"on", "off"}); !st)
                 return st;
             o.vsync = v == "on";
             return {};
         }},
    };
    const std::map<std::string, bool*> flags = {
        {"--verbose", &o.verbose}, {"-v", &o.verbose},
        {"--help", &o.help},       {"-h", &o.help},
        {"--version", &o.version}, {"--fullscreen", &o.fullscreen},
        {"--list", &o.list},       {"--take-over", &o.take_over},
        {"--hud", &o.hud},
    };
    const std::map<std::string, bool SourceOptions::*> source_flags = {
        {"--no-udmabuf", &SourceOptions::no_udmabuf},
        {"--reconnect", &SourceOptions::reconnect},
    };

    for (size_t i = 0; i < args.size(); ++i) {
        std::string arg = args[i], value;
        bool inline_value = false;
        if (const size_t eq = arg.find('='); arg.rfind("--", 0) == 0 && eq != std::string::npos) {
            value = arg.substr(eq + 1);
            arg = arg.substr(0, eq);
            inline_value = true;
        }
        if (auto f = source_flags.find(arg); f != source_flags.end()) {
            if (inline_value)
                return usage(arg + " takes no value");
            cur->*(f->second) = true;
            continue;
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
    if (o.sources.empty())
        o.sources.push_back(o);
    static_cast<SourceOptions&>(o) = o.sources.front();
    if (Status st = check_sources(o); !st)
        return st.error();
    if (Status st = check_sdl_path(o); !st)
        return st.error();
    if (Status st = check_render(o); !st)
        return st.error();
    return o;
}

} // namespace udmaview
