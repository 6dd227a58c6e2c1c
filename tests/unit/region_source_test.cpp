// SPDX-License-Identifier: MIT
#include <csignal>
#include <cstring>
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/source_spec.h"
#include "sources/region/region_source.h"
#include "udmaview/memfd.h"

using namespace udmaview;

TEST(RegionSpec, ParsesAllKeys) {
    Result<RegionSpec> s =
        parse_region_spec("/proc/12/fd/7,offset=0x1fc00000,size=1024x768,format=XR24,stride=4096");
    ASSERT_TRUE(s) << s.error().message;
    EXPECT_EQ(s->path, "/proc/12/fd/7");
    EXPECT_EQ(s->offset, 0x1fc00000u);
    EXPECT_EQ(s->width, 1024u);
    EXPECT_EQ(s->height, 768u);
    EXPECT_EQ(s->stride, 4096u);
    Result<RegionSpec> d = parse_region_spec("/dev/shm/fb,size=10x2,format=RG16");
    ASSERT_TRUE(d);
    EXPECT_EQ(d->stride, 20u) << "default stride is width × bytes per pixel";
    EXPECT_EQ(d->offset, 0u);
}

TEST(RegionSpec, RejectsMalformedGeometry) {
    for (const char* bad :
         {"", ",size=4x4", "/f", "/f,size=0x4", "/f,size=4x4,stride=15", "/f,size=4x4,offset=-1",
          "/f,size=4x4,offset=0x", "/f,size=4x4,x=1", "/f,size=4x4,format=NV12",
          "/f,size=4x4,stride", "/f,size=4x4,stride=0", "/f,size=99999x4"}) {
        Result<RegionSpec> s = parse_region_spec(bad);
        ASSERT_FALSE(s) << "accepted '" << bad << "'";
        EXPECT_EQ(s.error().errnum, EINVAL);
        EXPECT_NE(s.error().message.find("region:"), std::string::npos);
    }
}

namespace {

struct Sink : SourceSink {
    std::vector<Frame> frames;
    bool ended = false;
    void on_frame(Frame f) override { frames.push_back(std::move(f)); }
    void on_buffer_retired(BufferId) override {}
    void on_source_end(const Status&) override { ended = true; }
};

// Dispatches until pred() or a 5 s bound.
template <typename Pred> bool pump(RegionSource& src, Sink& sink, Pred pred) {
    for (int i = 0; i < 500 && !pred(); ++i) {
        pollfd p{src.poll_fd(), POLLIN, 0};
        ::poll(&p, 1, 10);
        src.dispatch(sink);
    }
    return pred();
}

struct Guest {
    static constexpr uint32_t w = 100, h = 40, stride = 448;
    static constexpr uint64_t offset = 4096 + 200; // not page aligned on purpose
    Memfd memfd = std::move(Memfd::create("region-guest", 8 * page_size())).value();
    Mapping ram = std::move(memfd.map(PROT_READ | PROT_WRITE)).value();

    uint8_t* px(uint32_t x, uint32_t y) { return ram.data() + offset + y * stride + x * 4; }
    std::string path() const { return "/proc/self/fd/" + std::to_string(memfd.fd()); }
    RegionOptions options(const std::string& path) const {
        RegionOptions o;
        o.spec = *parse_region_spec(path + ",offset=" + std::to_string(offset) + ",size=100x40" +
                                    ",stride=" + std::to_string(stride));
        o.fps = 500;
        return o;
    }
};

} // namespace

TEST(RegionSource, FirstFrameFullThenOnlyChangedTiles) {
    Guest g;
    for (uint32_t y = 0; y < g.h; ++y)
        for (uint32_t x = 0; x < g.w; ++x)
            std::memset(g.px(x, y), int(x + y), 4);
    RegionSource src(g.options(g.path()));
    ASSERT_TRUE(src.start());
    Sink sink;
    ASSERT_TRUE(pump(src, sink, [&] { return !sink.frames.empty(); }));
    const Frame first = sink.frames[0];
    EXPECT_EQ(first.damage, Region(Rect{0, 0, 100, 40}));
    const Layout& l = first.buffer->layout();
    EXPECT_EQ(l.offset, 200u) << "layout points into the enclosing pages";
    Result<Mapping> view = first.buffer->map(PROT_READ);
    ASSERT_TRUE(view);
    EXPECT_EQ(view->data()[l.offset + 3 * l.stride + 7 * 4], uint8_t(10));

    g.px(70, 30)[1] = 0xee;
    ASSERT_TRUE(pump(src, sink, [&] { return sink.frames.size() >= 2; }));
    const Frame second = sink.frames[1];
    EXPECT_EQ(second.buffer->id(), first.buffer->id()) << "same buffer, no re-import";
    EXPECT_TRUE(second.damage.contains_point(70, 30));
    EXPECT_EQ(second.damage, Region(Rect{64, 16, 36, 16})) << second.damage.to_string();
    EXPECT_EQ(view->data()[l.offset + 30 * l.stride + 70 * 4 + 1], 0xee);
}

TEST(RegionSource, NothingChangedNoFrames) {
    Guest g;
    RegionSource src(g.options(g.path()));
    ASSERT_TRUE(src.start());
    Sink sink;
    ASSERT_TRUE(pump(src, sink, [&] { return !sink.frames.empty(); }));
    pump(src, sink, [] { return false; }); // a while with no writes
    EXPECT_EQ(sink.frames.size(), 1u);
}

TEST(RegionSource, RejectsRegionPastEndOfFile) {
    Guest g;
    RegionOptions o = g.options(g.path());
    o.spec.offset = g.memfd.size() - 100;
    RegionSource src(o);
    Status s = src.start();
    ASSERT_FALSE(s);
    EXPECT_NE(s.error().message.find("does not fit"), std::string::npos) << s.error().message;
    o.spec.offset = UINT64_MAX - 10;
    EXPECT_FALSE(RegionSource(o).start());
}

TEST(RegionSource, MissingFileAndNonRegularFile) {
    Guest g;
    Status missing = RegionSource(g.options("/nonexistent/fb")).start();
    ASSERT_FALSE(missing);
    EXPECT_NE(missing.error().message.find("memory-backend-memfd"), std::string::npos);
    Status dir = RegionSource(g.options("/tmp")).start();
    ASSERT_FALSE(dir);
}

TEST(RegionSource, EndsWhenTheOwningProcessExits) {
    Guest g;
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        ::pause(); // holds the inherited memfd until killed
        ::_exit(0);
    }
    const std::string path =
        "/proc/" + std::to_string(child) + "/fd/" + std::to_string(g.memfd.fd());
    RegionSource src(g.options(path));
    Status s = src.start();
    if (!s) {
        ::kill(child, SIGKILL);
        ::waitpid(child, nullptr, 0);
        FAIL() << s.error().message;
    }
    Sink sink;
    ASSERT_TRUE(pump(src, sink, [&] { return !sink.frames.empty(); }));
    ::kill(child, SIGKILL);
    ::waitpid(child, nullptr, 0);
    EXPECT_TRUE(pump(src, sink, [&] { return sink.ended; }));
}

// Inside the VM test bed (/dev/udmabuf present) the region becomes one dma-buf over the
// enclosing pages of the memfd; the name starts with Udmabuf so the VM's filter runs it.
TEST(UdmabufRegion, DmaBufCoversEnclosingPages) {
    if (::access("/dev/udmabuf", F_OK) != 0)
        GTEST_SKIP() << "/dev/udmabuf not present (runs in the VM test bed)";
    Guest g;
    g.px(5, 5)[0] = 0x33;
    RegionSource src(g.options(g.path()));
    ASSERT_TRUE(src.start());
    ASSERT_TRUE(src.has_dmabuf());
    Sink sink;
    ASSERT_TRUE(pump(src, sink, [&] { return !sink.frames.empty(); }));
    const Buffer& b = *sink.frames[0].buffer;
    ASSERT_NE(b.dmabuf(), nullptr);
    EXPECT_EQ(b.dmabuf()->size() % page_size(), 0u);
    Result<Mapping> m = b.dmabuf()->map(PROT_READ);
    ASSERT_TRUE(m);
    Result<DmaBufSync> sync = DmaBufSync::begin(*b.dmabuf(), DmaBufSync::Read);
    EXPECT_EQ(m->data()[b.layout().offset + 5 * b.layout().stride + 5 * 4], 0x33);
}
