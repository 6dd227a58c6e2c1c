// SPDX-License-Identifier: MIT
#include "udmaview/frame.h"

#include <atomic>
#include <cerrno>
#include <limits>
#include <sys/mman.h>

#include "udmaview/udmabuf.h"

namespace udmaview {

namespace {
constexpr uint32_t max_dimension = 16384; // larger than any KMS or GL limit we meet
}

BufferId next_buffer_id() {
    static std::atomic<BufferId> next{1};
    return next.fetch_add(1);
}

uint64_t Layout::min_bytes() const {
    if (!format || width == 0 || height == 0)
        return 0;
    return uint64_t(stride) * (height - 1) + uint64_t(width) * format->bytes_per_pixel;
}

Status Layout::validate(uint64_t buffer_size) const {
    const std::string what = "layout " + to_string();
    if (!format)
        return Error{what + ": no pixel format", EINVAL};
    if (width == 0 || height == 0)
        return Error{what + ": width and height must be > 0", EINVAL};
    if (width > max_dimension || height > max_dimension)
        return Error{what + ": larger than " + std::to_string(max_dimension) + " pixels", E2BIG};
    if (uint64_t(stride) < uint64_t(width) * format->bytes_per_pixel)
        return Error{what + ": stride " + std::to_string(stride) + " is smaller than width × " +
                         std::to_string(format->bytes_per_pixel) + " bytes",
                     EINVAL};
    if (offset > buffer_size || min_bytes() > buffer_size - offset)
        return Error{what + ": needs " + std::to_string(offset + min_bytes()) +
                         " bytes but the buffer has " + std::to_string(buffer_size),
                     EINVAL};
    return {};
}

std::string Layout::to_string() const {
    std::string s =
        std::to_string(width) + "x" + std::to_string(height) + " stride " + std::to_string(stride);
    if (format)
        s += std::string(" ") + std::string(format->name);
    if (offset)
        s += " offset " + std::to_string(offset);
    return s;
}

Buffer::Buffer(Layout layout, std::vector<Backing> backing, std::optional<DmaBuf> dmabuf,
               std::string origin)
    : id_(next_buffer_id())
    , layout_(layout)
    , backing_(std::move(backing))
    , dmabuf_(std::move(dmabuf))
    , origin_(std::move(origin)) {
    if (dmabuf_)
        size_ = dmabuf_->size();
    else
        for (const Backing& b : backing_)
            size_ += b.size;
}

Result<Mapping> Buffer::map(int prot) const {
    if (dmabuf_)
        return dmabuf_->map(prot);
    if (backing_.empty())
        return Error{"buffer " + std::to_string(id_) + " (" + origin_ + "): no memory to map",
                     EINVAL};
    const std::string what = "buffer " + std::to_string(id_) + " (" + origin_ + ")";
    if (backing_.size() == 1)
        return Mapping::map(backing_[0].memfd->get(), backing_[0].offset, size_t(backing_[0].size),
                            prot, what.c_str());
    Result<Mapping> view = Mapping::reserve(size_t(size_));
    if (!view)
        return view;
    size_t at = 0;
    for (const Backing& b : backing_) {
        if (Status s =
                view->map_fixed(at, b.memfd->get(), b.offset, size_t(b.size), prot, what.c_str());
            !s)
            return s.error();
        at += size_t(b.size);
    }
    return view;
}

std::optional<DmaBufSync> Buffer::cpu_access(DmaBufSync::Access access) const {
    if (dmabuf_)
        if (Result<DmaBufSync> sync = DmaBufSync::begin(*dmabuf_, access))
            return std::move(*sync);
    return std::nullopt;
}

Result<OwnedBuffer> OwnedBuffer::create(const std::string& name, const Layout& layout,
                                        const Udmabuf* udmabuf, std::string origin) {
    if (!layout.format)
        return Error{name + ": layout has no pixel format", EINVAL};
    const uint64_t size =
        align_up(layout.offset + uint64_t(layout.stride) * layout.height, page_size());
    if (Status s = layout.validate(size); !s)
        return Error{name + ": " + s.error().message, s.error().errnum};
    // No F_SEAL_SEAL: udmabuf only needs SHRINK, and others may add seals later.
    Result<Memfd> memfd = Memfd::create(name, size, Memfd::SealShrink | Memfd::SealGrow);
    if (!memfd)
        return memfd.error();
    Result<Mapping> pixels = memfd->map(PROT_READ | PROT_WRITE);
    if (!pixels)
        return pixels.error();
    std::optional<DmaBuf> dmabuf;
    if (udmabuf) {
        Result<DmaBuf> made = udmabuf->create({memfd->fd(), 0, size});
        if (!made)
            return made.error();
        dmabuf = std::move(*made);
    }
    Result<UniqueFd> backing_fd = memfd->dup_fd();
    if (!backing_fd)
        return backing_fd.error();
    auto shared_fd = std::make_shared<const UniqueFd>(std::move(*backing_fd));
    auto buffer = std::make_shared<const Buffer>(layout, std::vector<Backing>{{shared_fd, 0, size}},
                                                 std::move(dmabuf), std::move(origin));
    return OwnedBuffer{std::move(*memfd), std::move(*pixels), std::move(buffer)};
}

} // namespace udmaview
