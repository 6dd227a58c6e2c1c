// SPDX-License-Identifier: MIT
#include <gtest/gtest.h>
#include <sys/mman.h>

#include "outputs/headless/headless_output.h"
#include "temp_dir.h"
#include "udmaview/memfd.h"
#include "udmaview/png.h"

using namespace udmaview;

namespace {

struct Sink : OutputSink {
    std::vector<uint64_t> presented;
    void on_presented(uint64_t seq, uint64_t) override { presented.push_back(seq); }
    void on_input(const InputEvent&) override {}
    void on_quit() override {}
    void on_output_error(const Error&) override {}
};

struct TestBuffer {
    Memfd memfd;
    Mapping map;
    std::shared_ptr<const Buffer> buffer;
};

TestBuffer make(uint32_t w, uint32_t h, const char* fmt, uint64_t backing_size = 0) {
    const Format* f = *parse_format(fmt);
    const uint32_t stride = w * f->bytes_per_pixel + 8;
    const uint64_t size = backing_size ? backing_size : align_up(uint64_t(stride) * h, page_size());
    Memfd m = std::move(Memfd::create("headless-test", size)).value();
    Mapping map = std::move(m.map(PROT_READ | PROT_WRITE)).value();
    Layout l{w, h, stride, 0, f};
    auto fd = std::make_shared<const UniqueFd>(std::move(m.dup_fd()).value());
    auto buf = std::make_shared<const Buffer>(l, std::vector<Backing>{{fd, 0, size}}, std::nullopt,
                                              "test");
    return {std::move(m), std::move(map), buf};
}

} // namespace

TEST(Headless, MapsOncePerBufferAndPresentsAtOnce) {
    TestBuffer a = make(32, 16, "XR24"), b = make(32, 16, "XR24");
    HeadlessOutput out({});
    Sink sink;
    SubmitStats s1, s2, s3;
    ASSERT_TRUE(out.submit({1, a.buffer, Region(Rect{0, 0, 32, 16}), 1}, s1, sink));
    ASSERT_TRUE(out.submit({2, a.buffer, Region(Rect{0, 0, 4, 4}), 2}, s2, sink));
    ASSERT_TRUE(out.submit({3, b.buffer, Region(Rect{0, 0, 4, 4}), 3}, s3, sink));
    EXPECT_EQ(s1.imports, 1u);
    EXPECT_EQ(s2.imports, 0u);
    EXPECT_EQ(s3.imports, 1u);
    EXPECT_EQ(s1.bytes_copied + s2.bytes_copied + s3.bytes_copied, 0u);
    EXPECT_EQ(sink.presented, (std::vector<uint64_t>{1, 2, 3}));
    EXPECT_EQ(out.cached_mappings(), 2u);
    out.retire(a.buffer->id());
    EXPECT_EQ(out.cached_mappings(), 1u);
}

TEST(Headless, ReadsTheDamagedPixelsWhenAskedTo) {
    TestBuffer a = make(32, 16, "XR24");
    HeadlessOutput out({.dump_png = {}, .checksum = true});
    Sink sink;
    SubmitStats s;
    ASSERT_TRUE(out.submit({1, a.buffer, Region(Rect{0, 0, 8, 8}), 1}, s, sink));
    const uint64_t before = out.checksum();
    a.map.data()[3 * a.buffer->layout().stride + 5 * 4] = 0x77; // inside the damage
    ASSERT_TRUE(out.submit({2, a.buffer, Region(Rect{0, 0, 8, 8}), 2}, s, sink));
    EXPECT_NE(out.checksum(), before);
}

TEST(Headless, ReadsNoPixelsUnlessAsked) {
    TestBuffer a = make(32, 16, "XR24");
    a.map.data()[5 * 4] = 0x77;
    HeadlessOutput out({});
    Sink sink;
    SubmitStats s;
    ASSERT_TRUE(out.submit({1, a.buffer, Region(Rect{0, 0, 8, 8}), 1}, s, sink));
    EXPECT_EQ(out.checksum(), 0u);
    EXPECT_EQ(sink.presented, (std::vector<uint64_t>{1}));
}

TEST(Headless, RejectsBufferSmallerThanItsLayout) {
    TestBuffer a = make(64, 64, "XR24", page_size()); // needs ~17 KiB, has one page
    HeadlessOutput out({});
    Sink sink;
    SubmitStats s;
    Status st = out.submit({1, a.buffer, Region(Rect{0, 0, 64, 64}), 1}, s, sink);
    ASSERT_FALSE(st);
    EXPECT_NE(st.error().message.find("needs"), std::string::npos) << st.error().message;
    EXPECT_TRUE(sink.presented.empty());
}

TEST(Headless, DumpsLastFrameAsPng) {
    TestBuffer a = make(8, 4, "RGB565");
    const uint8_t teal[4] = {0, 128, 128, 255};
    const Layout& l = a.buffer->layout();
    for (uint32_t y = 0; y < l.height; ++y)
        for (uint32_t x = 0; x < l.width; ++x)
            l.format->from_rgba8(teal, a.map.data() + y * l.stride + x * 2);
    const std::string path = temp_dir() + "/headless-dump.png";
    HeadlessOutput out({path});
    Sink sink;
    SubmitStats s;
    Frame f{1, a.buffer, Region(l.bounds()), 1};
    ASSERT_TRUE(out.submit(f, s, sink));
    ASSERT_TRUE(out.finish(&f));
    Result<RgbaImage> img = read_png(path);
    ASSERT_TRUE(img) << img.error().message;
    EXPECT_EQ(img->width, 8u);
    EXPECT_EQ(img->height, 4u);
    EXPECT_EQ(img->at(7, 3)[1], 130) << "6-bit green 32 expands to 130";
    EXPECT_EQ(img->at(0, 0)[0], 0);
}

TEST(Headless, DumpWithoutFramesIsAnError) {
    HeadlessOutput out({temp_dir() + "/never.png"});
    Status s = out.finish(nullptr);
    ASSERT_FALSE(s);
    EXPECT_NE(s.error().message.find("no frame"), std::string::npos);
}
