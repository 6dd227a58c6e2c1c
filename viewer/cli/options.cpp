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
    case OutputKind::Wayland:
        return "wayland";
    }
    return "?";
}

namespace {

// What several sources cannot do (yet): checked once every option is known.
Status check_sources(const Options& o) {
    if (o.sources.size() < 2)
        return {};
    if (o.output == OutputKind::Kms && o.kms_path == "plane")
        return usage("--kms-path plane shows one --source (" + std::to_string(o.sources.size()) +
                     " given): several are composed as tiles (--kms-path auto, gl or cpu)");
    if (o.output == OutputKind::Wayland)
        return usage("--output wayland shows one --source (" + std::to_string(o.sources.size()) +
                     " given): several tile on --output sdl or kms; or start one udmaview per "
                     "guest");
    if (o.output == OutputKind::Headless && !o.dump_png.empty())
        return usage("--dump-png with several --source needs --output sdl (the headless output "
                     "keeps no tiles)");
    return {};
}

Status check_render(const Options& o) {
    if (o.output != OutputKind::Headless && (o.render != "cpu" || o.render_size.width))
        return usage("--render and --render-size are headless options (--output headless)");
    if (o.render_size.width && o.render == "cpu")
        return usage("--render-size needs --render gl or pixman (the cpu path draws nothing)");
    return {};
}

} // namespace

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
             if (Status st = one_of("--output", v, {"headless", "kms", "sdl", "wayland"}); !st)
                 return st;
             o.output = v == "kms"       ? OutputKind::Kms
                        : v == "sdl"     ? OutputKind::Sdl
                        : v == "wayland" ? OutputKind::Wayland
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
        {"--guest-size",
         [&](const std::string& v) -> Status {
             if (Status st = one_of("--guest-size", v, {"follow", "keep"}); !st)
                 return st;
             cur->follow_size = v == "follow";
             return {};
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
             if (Status st = one_of("--render", v, {"cpu", "gl", "pixman"}); !st)
                 return st;
             o.render = v;
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
        {"--wayland-display",
         [&](const std::string& v) -> Status {
             o.wayland_display = v;
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
             return {};
         }},
        {"--sdl-path",
         [&](const std::string& v) -> Status {
             if (Status st = one_of("--sdl-path", v, {"auto", "gl", "software"}); !st)
                 return st;
             o.sdl_path = v;
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
    if (Status st = check_render(o); !st)
        return st.error();
    return o;
}

} // namespace udmaview
