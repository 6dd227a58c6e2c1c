// SPDX-License-Identifier: MIT
#include <gtest/gtest.h>

#include "cli/options.h"

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
    EXPECT_EQ(o->source, "demo");
    EXPECT_EQ(o->output, "headless");
    EXPECT_EQ(o->width, 1024u);
    EXPECT_EQ(o->frames, 0u);
}

TEST(Options, ParsesTheReadmeCommand) {
    Result<Options> o = parse(
        {"--source", "demo", "--output", "headless", "--frames", "300", "--timing", "timing.json"});
    ASSERT_TRUE(o) << o.error().message;
    EXPECT_EQ(o->frames, 300u);
    EXPECT_EQ(o->timing_file, "timing.json");
}

TEST(Options, ValuesWithEqualsAndAllKinds) {
    Result<Options> o = parse({"--size=640x480", "--format", "RG16", "--fps=30.5", "--seed", "9",
                               "--source=qemu-p2p:/tmp/qmp.sock", "--output=sdl", "--scale",
                               "integer", "--filter=nearest", "--vsync=off", "--fullscreen",
                               "--duration", "2.5", "--dump-png", "x.png", "-v", "--no-udmabuf"});
    ASSERT_TRUE(o) << o.error().message;
    EXPECT_EQ(o->width, 640u);
    EXPECT_EQ(o->height, 480u);
    EXPECT_EQ(o->format->name, "RGB565");
    EXPECT_DOUBLE_EQ(o->fps, 30.5);
    EXPECT_EQ(o->seed, 9u);
    EXPECT_EQ(o->source, "qemu-p2p:/tmp/qmp.sock");
    EXPECT_EQ(o->scale, "integer");
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
}

TEST(Options, HelpMentionsEveryOption) {
    const std::string help = help_text();
    for (const char* opt :
         {"--source",     "--output",     "--frames",    "--duration", "--timing",
          "--size",       "--format",     "--fps",       "--pattern",  "--seed",
          "--no-udmabuf", "--console",    "--reconnect", "--dump-png", "--device",
          "--connector",  "--mode",       "--list",      "--scale",    "--filter",
          "--vsync",      "--fullscreen", "--verbose",   "--help",     "--version"})
        EXPECT_NE(help.find(opt), std::string::npos) << opt;
}
