// SPDX-License-Identifier: MIT
// Validation runs everywhere; the *Device tests need /dev/udmabuf and run for real inside the
// VM test bed (tests/vm, test udmabuf-client), where our kmod provides it.
#include <cstring>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>
#include <vector>

#include "temp_dir.h"
#include "udmaview/memfd.h"
#include "udmaview/udmabuf.h"

using namespace udmaview;

namespace {

const UdmabufLimits defaults{};

Memfd sealed(uint64_t pages, unsigned seals = Memfd::SealShrink) {
    Result<Memfd> m = Memfd::create("udmabuf-test", pages * page_size(), seals);
    EXPECT_TRUE(m) << m.error().message;
    return std::move(m).value();
}

Status check(const MemfdRange& r, const UdmabufLimits& limits = defaults) {
    return Udmabuf::validate(std::span<const MemfdRange>(&r, 1), limits);
}

void expect_rejected(const Status& s, int errnum, const char* words) {
    ASSERT_FALSE(s) << "accepted, expected: " << words;
    EXPECT_EQ(s.error().errnum, errnum) << s.error().message;
    EXPECT_NE(s.error().message.find(words), std::string::npos) << s.error().message;
}

} // namespace

TEST(UdmabufValidate, AcceptsSealedAlignedRange) {
    Memfd m = sealed(4);
    EXPECT_TRUE(check({m.fd(), page_size(), 2 * page_size()}));
}

TEST(UdmabufValidate, RejectsMisalignedOffsetAndSize) {
    Memfd m = sealed(4);
    expect_rejected(check({m.fd(), 100, page_size()}), EINVAL, "multiples of the page size");
    expect_rejected(check({m.fd(), 0, page_size() + 1}), EINVAL, "multiples of the page size");
}

TEST(UdmabufValidate, RejectsZeroSize) {
    Memfd m = sealed(1);
    expect_rejected(check({m.fd(), 0, 0}), EINVAL, "size is 0");
}

TEST(UdmabufValidate, RejectsRangePastEndAndOverflow) {
    Memfd m = sealed(2);
    expect_rejected(check({m.fd(), page_size(), 2 * page_size()}), EINVAL, "past the end");
    const uint64_t top = UINT64_MAX - page_size() + 1; // page aligned, offset + size wraps
    expect_rejected(check({m.fd(), top, 2 * page_size()}), EINVAL, "overflows");
}

TEST(UdmabufValidate, RejectsMemfdWithoutShrinkSeal) {
    Memfd m = sealed(1, 0);
    expect_rejected(check({m.fd(), 0, page_size()}), EINVAL, "F_SEAL_SHRINK");
}

TEST(UdmabufValidate, RejectsWriteSealedMemfd) {
    Memfd m = sealed(1);
    ASSERT_EQ(::fcntl(m.fd(), F_ADD_SEALS, F_SEAL_WRITE), 0);
    expect_rejected(check({m.fd(), 0, page_size()}), EINVAL, "sealed against writes");
    Memfd f = sealed(1);
    ASSERT_EQ(::fcntl(f.fd(), F_ADD_SEALS, F_SEAL_FUTURE_WRITE), 0);
    expect_rejected(check({f.fd(), 0, page_size()}), EINVAL, "sealed against writes");
}

TEST(UdmabufValidate, RejectsNonMemfdFiles) {
    expect_rejected(check({-1, 0, page_size()}), EBADF, "not an open file descriptor");
    int fds[2];
    ASSERT_EQ(::pipe2(fds, O_CLOEXEC), 0);
    UniqueFd r(fds[0]), w(fds[1]);
    expect_rejected(check({r.get(), 0, page_size()}), EINVAL, "not a memfd");
    UniqueFd zero(::open("/dev/zero", O_RDWR | O_CLOEXEC));
    expect_rejected(check({zero.get(), 0, page_size()}), EINVAL, "not a memfd");
    std::string path = temp_dir() + "/udmaview-test-XXXXXX";
    UniqueFd file(::mkostemp(path.data(), O_CLOEXEC));
    ASSERT_TRUE(file.valid());
    ::unlink(path.c_str());
    ASSERT_EQ(::ftruncate(file.get(), off_t(page_size())), 0);
    expect_rejected(check({file.get(), 0, page_size()}), EINVAL, "not a memfd");
}

TEST(UdmabufValidate, RejectsClosedFd) {
    int raw;
    {
        Memfd m = sealed(1);
        raw = m.fd();
    }
    expect_rejected(check({raw, 0, page_size()}), EBADF, "not an open file descriptor");
}

TEST(UdmabufValidate, RejectsEmptyAndOverlongLists) {
    expect_rejected(Udmabuf::validate({}, defaults), EINVAL, "no memfd ranges");
    Memfd m = sealed(1);
    std::vector<MemfdRange> many(defaults.list_limit + 1, MemfdRange{m.fd(), 0, page_size()});
    expect_rejected(Udmabuf::validate(many, defaults), EINVAL, "list_limit");
    many.resize(defaults.list_limit);
    UdmabufLimits roomy = defaults;
    roomy.size_limit_mb = 1024;
    EXPECT_TRUE(Udmabuf::validate(many, roomy));
}

TEST(UdmabufValidate, RejectsOverSizeLimit) {
    UdmabufLimits small = defaults;
    small.size_limit_mb = 1;
    const uint64_t pages = (2u << 20) / page_size();
    Memfd m = sealed(pages);
    expect_rejected(check({m.fd(), 0, pages * page_size()}, small), E2BIG, "size_limit_mb");
    EXPECT_TRUE(check({m.fd(), 0, (1u << 20)}, small)) << "exactly the limit is allowed";
}

TEST(UdmabufValidate, RejectsListWhoseSizesOverflow) {
    // A sparse 2^62-byte memfd: four whole-file items add up to exactly 2^64.
    Result<Memfd> m = Memfd::create("huge", uint64_t(1) << 62);
    if (!m)
        GTEST_SKIP() << "cannot make a sparse 2^62-byte memfd here: " << m.error().message;
    const MemfdRange item{m->fd(), 0, uint64_t(1) << 62};
    std::vector<MemfdRange> list(4, item);
    expect_rejected(Udmabuf::validate(list, defaults), EINVAL, "past 2^64");
    list.resize(3);
    expect_rejected(Udmabuf::validate(list, defaults), E2BIG, "size_limit_mb");
}

TEST(UdmabufOpen, MissingDeviceSaysHowToGetIt) {
    Result<Udmabuf> dev = Udmabuf::open("/nonexistent/udmabuf");
    ASSERT_FALSE(dev);
    EXPECT_EQ(dev.error().errnum, ENOENT);
    EXPECT_NE(dev.error().message.find("modprobe udmabuf"), std::string::npos);
    EXPECT_NE(dev.error().message.find("kmod/"), std::string::npos);
}

TEST(UdmabufOpen, ExplainsErrnosAfterIoctl) {
    const MemfdRange r{3, 0, 4096};
    EXPECT_NE(Udmabuf::explain_ioctl_error(EMFILE, {&r, 1}).message.find("ulimit -n"),
              std::string::npos);
    EXPECT_NE(Udmabuf::explain_ioctl_error(E2BIG, {&r, 1}).message.find("size_limit_mb"),
              std::string::npos);
    EXPECT_EQ(Udmabuf::explain_ioctl_error(EINVAL, {&r, 1}).errnum, EINVAL);
}

TEST(UdmabufLimits, ReadsModuleParameters) {
    std::string dir = temp_dir() + "/udmaview-params-XXXXXX";
    ASSERT_NE(::mkdtemp(dir.data()), nullptr);
    const std::string d = dir;
    FILE* f = std::fopen((d + "/list_limit").c_str(), "w");
    std::fputs("17\n", f);
    std::fclose(f);
    UdmabufLimits l = UdmabufLimits::read_from_sysfs(d);
    EXPECT_EQ(l.list_limit, 17u);
    EXPECT_EQ(l.size_limit_mb, 64u) << "missing file keeps the mainline default";
    ::unlink((d + "/list_limit").c_str());
    ::rmdir(dir.c_str());
}

// --- against the real driver (VM test bed) ---

class UdmabufDevice : public ::testing::Test {
protected:
    void SetUp() override {
        Result<Udmabuf> dev = Udmabuf::open();
        if (!dev)
            GTEST_SKIP() << dev.error().message;
        dev_.emplace(std::move(*dev));
    }
    std::optional<Udmabuf> dev_;
};

TEST_F(UdmabufDevice, CreateRoundTripsBothWays) {
    Memfd m = sealed(4);
    Result<DmaBuf> buf = dev_->create({m.fd(), page_size(), 2 * page_size()});
    ASSERT_TRUE(buf) << buf.error().message;
    EXPECT_EQ(buf->size(), 2 * page_size());
    Result<Mapping> mem = m.map(PROT_READ | PROT_WRITE);
    Result<Mapping> dma = buf->map(PROT_READ | PROT_WRITE);
    ASSERT_TRUE(mem && dma);
    std::memset(mem->data() + page_size(), 0xab, 2 * page_size());
    {
        Result<DmaBufSync> s = DmaBufSync::begin(*buf, DmaBufSync::Read);
        ASSERT_TRUE(s) << s.error().message;
        EXPECT_EQ(dma->data()[0], 0xab);
        EXPECT_EQ(dma->data()[2 * page_size() - 1], 0xab);
    }
    {
        Result<DmaBufSync> s = DmaBufSync::begin(*buf, DmaBufSync::Write);
        ASSERT_TRUE(s);
        dma->data()[5] = 0x17;
    }
    EXPECT_EQ(mem->data()[page_size() + 5], 0x17);
    EXPECT_EQ(mem->data()[0], 0) << "the page before the range is not part of the dma-buf";
}

TEST_F(UdmabufDevice, CreateListJoinsRangesInOrder) {
    Memfd a = sealed(2), b = sealed(3);
    Result<Mapping> ma = a.map(PROT_READ | PROT_WRITE), mb = b.map(PROT_READ | PROT_WRITE);
    ASSERT_TRUE(ma && mb);
    std::memset(ma->data(), 1, 2 * page_size());
    std::memset(mb->data(), 2, 3 * page_size());
    const std::vector<MemfdRange> list{
        {b.fd(), page_size(), page_size()}, {a.fd(), 0, 2 * page_size()}, {b.fd(), 0, page_size()}};
    Result<DmaBuf> buf = dev_->create_list(list);
    ASSERT_TRUE(buf) << buf.error().message;
    EXPECT_EQ(buf->size(), 4 * page_size());
    Result<Mapping> dma = buf->map(PROT_READ);
    ASSERT_TRUE(dma);
    Result<DmaBufSync> s = DmaBufSync::begin(*buf, DmaBufSync::Read);
    EXPECT_EQ(dma->data()[0], 2);
    EXPECT_EQ(dma->data()[page_size()], 1);
    EXPECT_EQ(dma->data()[3 * page_size() - 1], 1);
    EXPECT_EQ(dma->data()[3 * page_size()], 2);
}

TEST_F(UdmabufDevice, OnePageAndExactlyTheSizeLimit) {
    Memfd one = sealed(1);
    EXPECT_TRUE(dev_->create({one.fd(), 0, page_size()}));
    const uint64_t limit = dev_->limits().size_limit_mb << 20;
    Memfd big = sealed(limit / page_size());
    Result<DmaBuf> buf = dev_->create({big.fd(), 0, limit});
    ASSERT_TRUE(buf) << buf.error().message;
    EXPECT_EQ(buf->size(), limit);
}

TEST_F(UdmabufDevice, ListLimitEntries) {
    const uint32_t n = dev_->limits().list_limit;
    Memfd m = sealed(n);
    std::vector<MemfdRange> list;
    for (uint32_t i = 0; i < n; ++i)
        list.push_back({m.fd(), uint64_t(n - 1 - i) * page_size(), page_size()});
    Result<DmaBuf> buf = dev_->create_list(list);
    ASSERT_TRUE(buf) << buf.error().message;
    EXPECT_EQ(buf->size(), uint64_t(n) * page_size());
}

TEST_F(UdmabufDevice, DataSurvivesClosingTheMemfd) {
    std::optional<DmaBuf> buf;
    {
        Memfd m = sealed(1);
        Result<Mapping> mem = m.map(PROT_READ | PROT_WRITE);
        ASSERT_TRUE(mem);
        mem->data()[9] = 0x42;
        Result<DmaBuf> made = dev_->create({m.fd(), 0, page_size()});
        ASSERT_TRUE(made);
        buf.emplace(std::move(*made));
    }
    Result<Mapping> dma = buf->map(PROT_READ);
    ASSERT_TRUE(dma);
    EXPECT_EQ(dma->data()[9], 0x42);
}

TEST_F(UdmabufDevice, RejectedBeforeTheIoctl) {
    Memfd m = sealed(1, 0);
    Result<DmaBuf> buf = dev_->create({m.fd(), 0, page_size()});
    ASSERT_FALSE(buf);
    EXPECT_NE(buf.error().message.find("F_SEAL_SHRINK"), std::string::npos);
}
