// SPDX-License-Identifier: MIT
#include <cstring>
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/mman.h>

#include "sources/demo/demo_scene.h"
#include "sources/demo/demo_source.h"

using namespace udmaview;

namespace {

const Format& xrgb() {
    return *find_format(make_fourcc('X', 'R', '2', '4'));
}

// Renders frame n from scratch.
std::vector<uint8_t> full(const DemoScene& s, uint64_t n, uint32_t w, uint32_t h) {
    std::vector<uint8_t> fb(size_t(w) * h * 4);
    s.render(n, Region(s.bounds()), xrgb(), fb.data(), w * 4);
    return fb;
}

} // namespace

TEST(DemoScene, DamageIsExactlyWhatChanges) {
    const uint32_t w = 160, h = 120;
    for (unsigned patterns :
         {unsigned(DemoScene::Rects), unsigned(DemoScene::Console), unsigned(DemoScene::All)}) {
        DemoScene s(w, h, patterns, 3);
        std::vector<uint8_t> fb = full(s, 1, w, h);
        for (uint64_t n = 2; n <= 70; ++n) {
            const std::vector<uint8_t> before = fb;
            const Region damage = s.damage(n);
            s.render(n, damage, xrgb(), fb.data(), w * 4);
            ASSERT_EQ(fb, full(s, n, w, h)) << "incremental render must equal full render, n=" << n;
            for (uint32_t y = 0; y < h; ++y)
                for (uint32_t x = 0; x < w; ++x)
                    if (std::memcmp(&fb[(y * w + x) * 4], &before[(y * w + x) * 4], 4) != 0) {
                        ASSERT_TRUE(damage.contains_point(int32_t(x), int32_t(y)))
                            << "undamaged pixel changed at " << x << "," << y << " n=" << n;
                    }
        }
    }
}

TEST(DemoScene, SmallDamageForRectsFullForFlips) {
    DemoScene rects(640, 480, DemoScene::Rects, 1);
    EXPECT_LT(rects.damage(5).area(), 640 * 480 / 2);
    DemoScene flip(640, 480, DemoScene::Flip, 1);
    EXPECT_EQ(flip.damage(DemoScene::flip_period + 1).area(), 640 * 480);
    EXPECT_TRUE(flip.damage(2).empty());
    EXPECT_NE(flip.buffer_index(1), flip.buffer_index(DemoScene::flip_period + 1));
}

TEST(DemoScene, SameSeedSamePixelsOtherSeedOther) {
    DemoScene a(64, 64, DemoScene::All, 7), b(64, 64, DemoScene::All, 7),
        c(64, 64, DemoScene::All, 8);
    EXPECT_EQ(full(a, 10, 64, 64), full(b, 10, 64, 64));
    EXPECT_NE(full(a, 10, 64, 64), full(c, 10, 64, 64));
}

TEST(DemoScene, TinySizesWork) {
    DemoScene s(1, 1, DemoScene::All, 1);
    EXPECT_EQ(full(s, 5, 1, 1).size(), 4u);
}

TEST(DemoScene, ParsePatterns) {
    EXPECT_EQ(*DemoScene::parse_patterns("rects,console"),
              unsigned(DemoScene::Rects | DemoScene::Console));
    EXPECT_EQ(*DemoScene::parse_patterns("all"), unsigned(DemoScene::All));
    EXPECT_FALSE(DemoScene::parse_patterns("rects,,flip"));
    EXPECT_FALSE(DemoScene::parse_patterns("stars"));
    EXPECT_FALSE(DemoScene::parse_patterns(""));
}

namespace {
struct CollectingSink : SourceSink {
    std::vector<Frame> frames;
    bool ended = false;
    void on_frame(Frame f) override { frames.push_back(std::move(f)); }
    void on_buffer_retired(BufferId) override {}
    void on_source_end(const Status&) override { ended = true; }
};
} // namespace

TEST(DemoSource, ProducesExactlyTheLimitAndFinalPixels) {
    DemoOptions opt;
    opt.width = 96;
    opt.height = 64;
    opt.fps = 0;
    opt.udmabuf_path = "/nonexistent/udmabuf"; // memfd-only path on any machine
    DemoSource src(opt);
    src.set_frame_limit(40);
    ASSERT_TRUE(src.start());
    CollectingSink sink;
    for (int i = 0; i < 2000 && !sink.ended; ++i) {
        pollfd pfd{src.poll_fd(), POLLIN, 0};
        ::poll(&pfd, 1, 10);
        src.dispatch(sink);
    }
    src.stop();
    ASSERT_TRUE(sink.ended);
    ASSERT_EQ(sink.frames.size(), 40u);
    for (size_t i = 0; i < sink.frames.size(); ++i)
        EXPECT_EQ(sink.frames[i].seq, i + 1);
    const Frame& last = sink.frames.back();
    EXPECT_EQ(last.buffer->dmabuf(), nullptr);
    EXPECT_FALSE(src.has_dmabuf());
    Result<Mapping> map = last.buffer->map(PROT_READ);
    ASSERT_TRUE(map);
    const Layout& l = last.buffer->layout();
    uint8_t want[4], got[4];
    for (uint32_t y = 0; y < l.height; y += 7)
        for (uint32_t x = 0; x < l.width; x += 5) {
            src.scene().pixel(40, int32_t(x), int32_t(y), want);
            l.format->to_rgba8(map->data() + y * l.stride + x * 4, got);
            ASSERT_EQ(std::memcmp(want, got, 3), 0) << x << "," << y;
        }
}

TEST(DemoSource, BadLayoutFailsToStart) {
    DemoOptions opt;
    opt.width = 20000; // over the 16384 limit
    opt.height = 10;
    DemoSource src(opt);
    Status s = src.start();
    ASSERT_FALSE(s);
    EXPECT_NE(s.error().message.find("demo:"), std::string::npos);
}
