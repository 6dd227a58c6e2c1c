// SPDX-License-Identifier: MIT
#include <gtest/gtest.h>

#include <cstdlib>

#include "cli/options.h"
#include "cli/test_hooks.h"

using namespace udmaview;

namespace {
Result<Options> parse(std::vector<std::string> args) {
    return parse_options(args);
}

void expect_usage_error(std::vector<std::string> args, const char* words) {
    Result<Options> o = parse(args);
    ASSERT_FALSE(o) << "accepted: " << args[0];
    EXPECT_NE(o.error().message.find(words), std::string::npos) << o.error().message;
}
} // namespace

TEST(Options, Defaults) {
    Result<Options> o = parse({});
    ASSERT_TRUE(o);
    EXPECT_EQ(o->source.kind, SourceSpec::Kind::Demo);
    EXPECT_EQ(o->output, OutputKind::Headless);
    EXPECT_EQ(o->size, (Size{1024, 768}));
    EXPECT_EQ(o->frames, 0u);
    EXPECT_EQ(o->scale, ScaleMode::Fit);
    EXPECT_EQ(o->patterns, unsigned(DemoScene::All));
    EXPECT_TRUE(o->linear_filter && o->vsync);
}

TEST(Options, ParsesTheReadmeCommand) {
    Result<Options> o = parse(
        {"--source", "demo", "--output", "headless", "--frames", "300", "--timing", "timing.json"});
    ASSERT_TRUE(o) << o.error().message;
    EXPECT_EQ(o->frames, 300u);
    EXPECT_EQ(o->timing_file, "timing.json");
}

TEST(Options, TakeOverIsOffUnlessAsked) {
    Result<Options> plain = parse({"--output", "kms"});
    ASSERT_TRUE(plain) << plain.error().message;
    EXPECT_FALSE(plain->take_over);
    Result<Options> o = parse({"--output", "kms", "--take-over"});
    ASSERT_TRUE(o) << o.error().message;
    EXPECT_TRUE(o->take_over);
}

TEST(Options, ValuesWithEqualsAndAllKinds) {
    Result<Options> o = parse({"--size=640x480", "--format", "RG16", "--fps=30.5", "--seed", "9",
                               "--source=qemu-p2p:/tmp/qmp.sock", "--output=sdl", "--scale",
                               "integer", "--filter=nearest", "--vsync=off", "--fullscreen",
                               "--duration", "2.5", "--dump-png", "x.png", "-v", "--no-udmabuf"});
    ASSERT_TRUE(o) << o.error().message;
    EXPECT_EQ(o->size, (Size{640, 480}));
    EXPECT_EQ(o->format->name, "RGB565");
    EXPECT_DOUBLE_EQ(o->fps, 30.5);
    EXPECT_EQ(o->seed, 9u);
    EXPECT_EQ(o->source.kind, SourceSpec::Kind::Qemu);
    EXPECT_TRUE(o->source.qemu_p2p);
    EXPECT_EQ(o->source.qemu_address, "/tmp/qmp.sock");
    EXPECT_EQ(o->output, OutputKind::Sdl);
    EXPECT_EQ(o->scale, ScaleMode::Integer);
    EXPECT_FALSE(o->linear_filter || o->vsync);
    EXPECT_TRUE(o->fullscreen && o->verbose && o->no_udmabuf);
    EXPECT_DOUBLE_EQ(o->duration_s, 2.5);
}

TEST(Options, BadInputNamesTheOption) {
    expect_usage_error({"--bogus"}, "unknown option '--bogus'");
    expect_usage_error({"--frames"}, "--frames needs a value");
    expect_usage_error({"--frames", "0"}, "--frames");
    expect_usage_error({"--frames", "-3"}, "--frames");
    expect_usage_error({"--frames", "12x"}, "--frames");
    expect_usage_error({"--size", "0x480"}, "--size");
    expect_usage_error({"--size", "99999x99999"}, "1 to 16384");
    expect_usage_error({"--size", "640"}, "WIDTHxHEIGHT");
    expect_usage_error({"--size", "x"}, "--size");
    expect_usage_error({"--format", "YUYV"}, "unknown pixel format");
    expect_usage_error({"--fps", "nan"}, "--fps");
    expect_usage_error({"--fps", "-1"}, "--fps");
    expect_usage_error({"--output", "vnc"}, "not one of headless, kms, sdl");
    expect_usage_error({"--source", "file"}, "--source");
    expect_usage_error({"--timing", "t.txt"}, ".json or .csv");
    expect_usage_error({"--scale", "big"}, "--scale");
    expect_usage_error({"--verbose=yes"}, "takes no value");
    expect_usage_error({"--duration", "0"}, "--duration");
    expect_usage_error({"--pattern", "stripes"}, "--pattern: unknown demo pattern 'stripes'");
    expect_usage_error({"--source", "qemu:"}, "the D-Bus address is empty");
    expect_usage_error({"--source", "qemu-p2p:"}, "the QMP socket path is empty");
    expect_usage_error({"--source", "qemux"}, "--source");
    expect_usage_error({"--source", "region:/dev/shm/fb"}, "size=WxH is required");
    expect_usage_error({"--filter", "cubic"}, "not one of nearest, linear");
    expect_usage_error({"--vsync", "maybe"}, "not one of on, off");
    expect_usage_error({"--seed", "18446744073709551616"}, "--seed");
}

TEST(Options, SourceSpecsParseOnce) {
    Result<Options> bus = parse({"--source", "qemu"});
    ASSERT_TRUE(bus);
    EXPECT_EQ(bus->source.kind, SourceSpec::Kind::Qemu);
    EXPECT_FALSE(bus->source.qemu_p2p);
    EXPECT_EQ(bus->source.qemu_address, "");
    Result<Options> addr = parse({"--source=qemu:unix:path=/tmp/bus"});
    ASSERT_TRUE(addr);
    EXPECT_FALSE(addr->source.qemu_p2p);
    EXPECT_EQ(addr->source.qemu_address, "unix:path=/tmp/bus");
    Result<Options> region = parse({"--source", "region:/dev/shm/fb,size=10x2,format=RG16"});
    ASSERT_TRUE(region) << region.error().message;
    EXPECT_EQ(region->source.kind, SourceSpec::Kind::Region);
    EXPECT_EQ(region->source.region.path, "/dev/shm/fb");
    EXPECT_EQ(region->source.region.stride, 20u);
    Result<Options> patterns = parse({"--pattern", "rects,flip"});
    ASSERT_TRUE(patterns);
    EXPECT_EQ(patterns->patterns, unsigned(DemoScene::Rects | DemoScene::Flip));
}

TEST(Options, TestHooksFollowOneRule) {
    struct Env {
        const char* name;
        ~Env() { unsetenv(name); }
    } legacy{"UDMAVIEW_KMS_LEGACY"}, no_import{"UDMAVIEW_EGL_NO_IMPORT"},
        hold{"UDMAVIEW_SDL_HOLD_MS"};
    Result<TestHooks> none = read_test_hooks();
    ASSERT_TRUE(none);
    EXPECT_FALSE(none->kms_legacy || none->egl_no_import);
    EXPECT_EQ(none->sdl_hold_ms, 0u);

    setenv("UDMAVIEW_KMS_LEGACY", "yes", 1);
    setenv("UDMAVIEW_EGL_NO_IMPORT", "0", 1); // "0" is off, for every switch
    setenv("UDMAVIEW_SDL_HOLD_MS", "1500", 1);
    Result<TestHooks> some = read_test_hooks();
    ASSERT_TRUE(some);
    EXPECT_TRUE(some->kms_legacy);
    EXPECT_FALSE(some->egl_no_import);
    EXPECT_EQ(some->sdl_hold_ms, 1500u);

    setenv("UDMAVIEW_SDL_HOLD_MS", "soon", 1);
    Result<TestHooks> bad = read_test_hooks();
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.error().message.find("UDMAVIEW_SDL_HOLD_MS"), std::string::npos);
}

TEST(Options, HudIsAFlag) {
    Result<Options> o = parse({"--output", "sdl", "--hud"});
    ASSERT_TRUE(o) << o.error().message;
    EXPECT_TRUE(o->hud);
    EXPECT_FALSE(parse({"--output", "sdl"})->hud);
    EXPECT_FALSE(parse({"--hud=on"}));
}

TEST(Options, SdlPathAutoByDefaultAndEveryViewTakesEveryOption) {
    EXPECT_EQ(parse({"--output", "sdl"})->sdl_path, "auto");
    for (const char* path : {"auto", "gl", "software"}) {
        Result<Options> o = parse({"--output", "sdl", "--sdl-path", path, "--hud", "--filter",
                                   "linear", "--source", "demo", "--source", "demo"});
        ASSERT_TRUE(o) << path << ": " << o.error().message;
        EXPECT_EQ(o->sdl_path, path);
    }
    EXPECT_EQ(parse({"--output", "sdl", "--sdl-path=software"})->sdl_path, "software");
    expect_usage_error({"--sdl-path", "bogus"},
                       "--sdl-path: 'bogus' is not one of auto, gl, software");
}

TEST(Options, HelpMentionsEveryOption) {
    const std::string help = help_text();
    for (const char* opt :
         {"--source",    "--output",    "--frames",  "--duration",   "--timing",     "--size",
          "--format",    "--fps",       "--pattern", "--seed",       "--no-udmabuf", "--console",
          "--reconnect", "--dump-png",  "--device",  "--connector",  "--mode",       "--list",
          "--scale",     "--filter",    "--vsync",   "--fullscreen", "--verbose",    "--help",
          "--version",   "--take-over", "--hud",     "--sdl-path",   "--guest-size"})
        EXPECT_NE(help.find(opt), std::string::npos) << opt;
}
