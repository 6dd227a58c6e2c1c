// SPDX-License-Identifier: MIT
// Several --source on one command line: which options belong to which source.
#include <gtest/gtest.h>

#include "cli/options.h"

using namespace udmaview;

namespace {
Result<Options> parse(std::vector<std::string> args) {
    return parse_options(args);
}
} // namespace

TEST(MultiSourceOptions, OneSourceKeepsOptionsOnEitherSide) {
    Result<Options> before = parse({"--seed", "7", "--size", "64x32", "--source", "demo"});
    Result<Options> after = parse({"--source", "demo", "--seed", "7", "--size", "64x32"});
    for (const Result<Options>* o : {&before, &after}) {
        ASSERT_TRUE(*o) << (*o).error().message;
        ASSERT_EQ((*o)->sources.size(), 1u);
        EXPECT_EQ((*o)->sources[0].seed, 7u);
        EXPECT_EQ((*o)->seed, 7u); // the single-source fields mirror sources[0]
        EXPECT_EQ((*o)->size, (Size{64, 32}));
    }
}

TEST(MultiSourceOptions, NoSourceIsOneDemo) {
    Result<Options> o = parse({"--seed", "3", "--reconnect"});
    ASSERT_TRUE(o);
    ASSERT_EQ(o->sources.size(), 1u);
    EXPECT_EQ(o->sources[0].source.kind, SourceSpec::Kind::Demo);
    EXPECT_EQ(o->sources[0].seed, 3u);
    EXPECT_TRUE(o->sources[0].reconnect);
}

TEST(MultiSourceOptions, OptionsAfterASourceApplyToItAlone) {
    Result<Options> o = parse({"--fps",       "30",
                               "--size",      "320x240",
                               "--source",    "demo",
                               "--seed",      "2",
                               "--source",    "qemu-p2p:/run/q.sock",
                               "--reconnect", "--console",
                               "1",           "--source",
                               "demo",        "--size",
                               "64x48",       "--no-udmabuf",
                               "--output",    "sdl"});
    ASSERT_TRUE(o) << o.error().message;
    ASSERT_EQ(o->sources.size(), 3u);
    const SourceOptions& a = o->sources[0];
    const SourceOptions& b = o->sources[1];
    const SourceOptions& c = o->sources[2];
    EXPECT_EQ(a.seed, 2u);
    EXPECT_EQ(a.size, (Size{320, 240}));
    EXPECT_EQ(a.fps, 30);
    EXPECT_FALSE(a.reconnect);
    EXPECT_FALSE(a.no_udmabuf);
    EXPECT_EQ(b.source.kind, SourceSpec::Kind::Qemu);
    EXPECT_TRUE(b.source.qemu_p2p);
    EXPECT_TRUE(b.reconnect);
    EXPECT_EQ(b.console, 1u);
    EXPECT_EQ(b.seed, 1u); // the default, not source 1's
    EXPECT_EQ(c.size, (Size{64, 48}));
    EXPECT_EQ(c.fps, 30); // given before the first --source: for every source
    EXPECT_TRUE(c.no_udmabuf);
    EXPECT_FALSE(c.reconnect);
    EXPECT_EQ(o->seed, 2u); // the single-source fields are the first source's
    EXPECT_EQ(o->output, OutputKind::Sdl);
}

TEST(MultiSourceOptions, SixteenSourcesFitSeventeenDoNot) {
    std::vector<std::string> args = {"--output", "sdl"};
    for (size_t i = 0; i < max_sources; ++i) {
        args.push_back("--source");
        args.push_back("demo");
    }
    Result<Options> full = parse(args);
    ASSERT_TRUE(full) << full.error().message;
    EXPECT_EQ(full->sources.size(), max_sources);
    args.push_back("--source");
    args.push_back("demo");
    Result<Options> over = parse(args);
    ASSERT_FALSE(over);
    EXPECT_EQ(over.error().errnum, EINVAL); // bad usage: exit status 2
    EXPECT_NE(over.error().message.find("at most 16 tiles"), std::string::npos)
        << over.error().message;
}

TEST(MultiSourceOptions, RejectsWhatSeveralSourcesCannotDo) {
    Result<Options> kms = parse({"--source", "demo", "--source", "demo", "--output", "kms"});
    ASSERT_TRUE(kms) << kms.error().message; // auto: the gl or cpu path
    for (const char* path : {"cpu", "copy", "gl"}) {
        Result<Options> composed =
            parse({"--source", "demo", "--source", "demo", "--output", "kms", "--kms-path", path});
        EXPECT_TRUE(composed) << path << ": " << composed.error().message;
    }
    Result<Options> plane =
        parse({"--source", "demo", "--source", "demo", "--output", "kms", "--kms-path", "plane"});
    ASSERT_FALSE(plane);
    EXPECT_NE(plane.error().message.find("--kms-path plane shows one --source"), std::string::npos)
        << plane.error().message;
    Result<Options> dump = parse({"--source", "demo", "--source", "demo", "--dump-png", "x.png"});
    ASSERT_FALSE(dump);
    EXPECT_NE(dump.error().message.find("needs --output sdl"), std::string::npos);
    Result<Options> bad = parse({"--source", "demo", "--source", "qemu:"});
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.error().message.find("the D-Bus address is empty"), std::string::npos);
}

TEST(MultiSourceOptions, GuestSizeIsPerSourceAndFollowsByDefault) {
    Result<Options> o = parse({"--source", "qemu", "--source", "qemu:unix:path=/b", "--guest-size",
                               "keep", "--source", "libvirt:vm"});
    ASSERT_TRUE(o) << o.error().message;
    ASSERT_EQ(o->sources.size(), 3u);
    EXPECT_TRUE(o->sources[0].follow_size);
    EXPECT_FALSE(o->sources[1].follow_size);
    EXPECT_TRUE(o->sources[2].follow_size);
    Result<Options> all = parse({"--guest-size=keep", "--source", "qemu", "--source", "qemu"});
    ASSERT_TRUE(all) << all.error().message;
    EXPECT_FALSE(all->sources[0].follow_size);
    EXPECT_FALSE(all->sources[1].follow_size);
    Result<Options> bad = parse({"--guest-size", "auto"});
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.error().message.find("--guest-size: 'auto' is not one of follow, keep"),
              std::string::npos)
        << bad.error().message;
}
