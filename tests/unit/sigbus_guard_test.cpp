// SPDX-License-Identifier: MIT
// The SIGBUS guard: a mapping of a file that may shrink survives its truncation (zero pages,
// the file recorded, notify_fd woken); sealed files and non-files are not guarded; a SIGBUS
// outside every guarded range still ends the process; the presenter ends only the source
// whose buffer's file shrank.
#include <csignal>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/mman.h>
#include <unistd.h>

#include "scripted_source.h"
#include "udmaview/presenter.h"
#include "udmaview/sigbus_guard.h"

using namespace udmaview;

namespace {

// Like QEMU's surfaces: a memfd created without MFD_ALLOW_SEALING (F_SEAL_SEAL, no SHRINK).
UniqueFd unsealed_file(const char* name, size_t pages) {
    UniqueFd fd(::memfd_create(name, MFD_CLOEXEC));
    EXPECT_TRUE(fd);
    EXPECT_EQ(::ftruncate(fd.get(), off_t(pages * page_size())), 0);
    const uint8_t mark = 0xab;
    EXPECT_EQ(::pwrite(fd.get(), &mark, 1, off_t((pages - 1) * page_size())), 1);
    return fd;
}

bool readable(int fd) {
    pollfd p{fd, POLLIN, 0};
    return ::poll(&p, 1, 0) == 1 && (p.revents & POLLIN);
}

uint8_t read_byte(const uint8_t* p) {
    return *static_cast<const volatile uint8_t*>(p);
}

} // namespace

TEST(SigbusGuard, ATruncatedFileReadsAsZerosAndIsRecorded) {
    UniqueFd fd = unsealed_file("sigbus-guard-test", 3);
    ASSERT_TRUE(SigbusGuard::may_shrink(fd.get()));
    Result<Mapping> m = Mapping::map(fd.get(), 0, 3 * page_size(), PROT_READ, "test");
    ASSERT_TRUE(m) << m.error().message;
    EXPECT_EQ(read_byte(m->data() + 2 * page_size()), 0xab);
    SigbusGuard::acknowledge();
    const uint64_t before = SigbusGuard::faults();
    EXPECT_FALSE(SigbusGuard::faulted_file(fd.get()));

    ASSERT_EQ(::ftruncate(fd.get(), off_t(page_size())), 0);
    EXPECT_EQ(read_byte(m->data() + 2 * page_size()), 0); // a SIGBUS without the guard
    EXPECT_EQ(read_byte(m->data()), 0) << "the whole range is replaced, not just one page";
    EXPECT_EQ(SigbusGuard::faults(), before + 1);
    std::optional<std::string> name = SigbusGuard::faulted_file(fd.get());
    ASSERT_TRUE(name);
    EXPECT_NE(name->find("sigbus-guard-test"), std::string::npos) << *name;
    EXPECT_TRUE(readable(SigbusGuard::notify_fd()));
    SigbusGuard::acknowledge();
    EXPECT_FALSE(readable(SigbusGuard::notify_fd()));
}

TEST(SigbusGuard, AnUnalignedAndAScatteredMappingAreGuardedToo) {
    UniqueFd a = unsealed_file("sigbus-guard-a", 2), b = unsealed_file("sigbus-guard-b", 2);
    Result<Mapping> unaligned = Mapping::map(a.get(), 100, page_size(), PROT_READ, "unaligned");
    ASSERT_TRUE(unaligned);
    Result<Mapping> scattered = Mapping::reserve(2 * page_size());
    ASSERT_TRUE(scattered);
    ASSERT_TRUE(scattered->map_fixed(page_size(), b.get(), page_size(), page_size(), PROT_READ,
                                     "scattered"));
    ASSERT_EQ(::ftruncate(a.get(), 0), 0);
    ASSERT_EQ(::ftruncate(b.get(), 0), 0);
    EXPECT_EQ(read_byte(unaligned->data() + page_size() - 1), 0);
    EXPECT_EQ(read_byte(scattered->data() + page_size()), 0);
    EXPECT_TRUE(SigbusGuard::faulted_file(a.get()));
    EXPECT_TRUE(SigbusGuard::faulted_file(b.get()));
}

TEST(SigbusGuard, SealedFilesAndNonFilesAreNotGuarded) {
    Result<Memfd> sealed = Memfd::create("sigbus-guard-sealed", page_size()); // F_SEAL_SHRINK
    ASSERT_TRUE(sealed);
    EXPECT_FALSE(SigbusGuard::may_shrink(sealed->fd()));
    int pipe_fds[2];
    ASSERT_EQ(::pipe(pipe_fds), 0);
    UniqueFd r(pipe_fds[0]), w(pipe_fds[1]);
    EXPECT_FALSE(SigbusGuard::may_shrink(r.get()));
    EXPECT_FALSE(SigbusGuard::may_shrink(-1));
}

TEST(SigbusGuardDeathTest, ASigbusOutsideEveryGuardedRangeStillEndsTheProcess) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    UniqueFd guarded_fd = unsealed_file("sigbus-guard-other", 1);
    Result<Mapping> guarded = Mapping::map(guarded_fd.get(), 0, page_size(), PROT_READ, "g");
    ASSERT_TRUE(guarded); // the handler is installed
    auto unguarded_fault = [] {
        UniqueFd fd = unsealed_file("sigbus-guard-raw", 2);
        void* p = ::mmap(nullptr, 2 * page_size(), PROT_READ, MAP_SHARED, fd.get(), 0);
        if (p == MAP_FAILED || ::ftruncate(fd.get(), 0) < 0)
            ::_exit(3);
        ::_exit(read_byte(static_cast<uint8_t*>(p) + page_size()) == 0 ? 0 : 4);
    };
    // Without a sanitizer: killed by SIGBUS; under ASan its own report, exit status 1.
    EXPECT_EXIT(
        unguarded_fault(),
        [](int status) {
            return (WIFSIGNALED(status) && WTERMSIG(status) == SIGBUS) ||
                   (WIFEXITED(status) && WEXITSTATUS(status) == 1);
        },
        "");
}

namespace {

class DrawingOutput : public Output {
public:
    std::vector<Frame> submitted;
    std::vector<uint32_t> ended;

    std::string name() const override { return "drawing"; }
    Status start() override { return {}; }
    void stop() override {}
    uint64_t dispatch_interval_ns() const override { return 1'000'000; }
    bool busy() const override { return false; }
    void dispatch(OutputSink&) override {}
    // Reads every frame's pixels through its own mapping, as the SDL and KMS outputs do.
    Status submit(const Frame& frame, SubmitStats&, OutputSink& sink) override {
        submitted.push_back(frame);
        Result<Mapping> view = frame.buffer->map(PROT_READ);
        if (!view)
            return view.error();
        sum_ += read_byte(view->data() + view->size() - 1);
        sink.on_presented(frame.seq, 1);
        return {};
    }
    void retire(BufferId) override {}
    void source_ended(uint32_t source) override { ended.push_back(source); }

private:
    unsigned sum_ = 0;
};

UniqueFd signals() {
    Result<UniqueFd> fd = Presenter::block_signals();
    EXPECT_TRUE(fd);
    return std::move(fd).value();
}

} // namespace

TEST(SigbusGuard, ThePresenterEndsTheSourceWhoseFileShrankAndTheOtherGoesOn) {
    auto shared = std::make_shared<const UniqueFd>(unsealed_file("presenter-shrink", 2));
    Layout layout{16, 16, 64, 0, find_format(make_fourcc('X', 'R', '2', '4'))};
    auto shrinking = std::make_shared<const Buffer>(
        layout, std::vector<Backing>{{shared, 0, 2 * page_size()}}, std::nullopt, "shrinking");
    auto other = test::make_buffer("presenter-other");
    test::ScriptedSource a, b;
    a.steps.push_back([&](SourceSink& s) {
        s.on_frame(Frame{1, shrinking, Region({0, 0, 1, 1})});
    });
    a.steps.push_back([&](SourceSink&) { ASSERT_EQ(::ftruncate(shared->get(), 0), 0); });
    a.steps.push_back([&](SourceSink& s) {
        s.on_frame(Frame{2, shrinking, Region({0, 0, 1, 1})});
    });
    for (uint64_t n = 1; n <= 8; ++n)
        b.steps.push_back([&, n](SourceSink& s) {
            s.on_frame(Frame{n, other, Region({0, 0, 1, 1})});
        });
    b.steps.push_back([](SourceSink& s) { s.on_source_end({}); });
    DrawingOutput out;
    TimingRecorder timing("a + b", "drawing");
    timing.set_source_names({"a", "b"});
    PresenterOptions options;
    options.source_labels = {"--source #1 (a)", "--source #2 (b)"};
    Presenter p({&a, &b}, out, timing, options);
    Result<StopReason> r = p.run(signals());
    ASSERT_FALSE(r) << "the run ends with the shrunk source's error";
    EXPECT_NE(r.error().message.find("presenter-shrink"), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message.find("F_SEAL_SHRINK"), std::string::npos);
    // a ended at its shrink, b at the end of its script
    EXPECT_EQ(out.ended, (std::vector<uint32_t>{0, 1}));
    size_t per[2] = {0, 0};
    for (const Frame& f : out.submitted)
        ++per[f.source];
    EXPECT_EQ(per[1], 8u) << "the other source went on";
    const TimingSummary summary = timing.summary();
    ASSERT_EQ(summary.sources.size(), 2u);
    const SourceCounters expect{{"shrunk_files", 1}};
    EXPECT_EQ(summary.sources[0].source_counters, expect);
    EXPECT_TRUE(summary.sources[1].source_counters.empty());
}
