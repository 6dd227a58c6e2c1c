// SPDX-License-Identifier: MIT
#include "sources/qemu/mapped_scanout.h"

#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <optional>
#include <sys/mman.h>
#include <sys/stat.h>

#include "sources/qemu/pixman_format.h"
#include "sources/qemu/surface.h"
#include "udmaview/memfd.h"

namespace udmaview::qemu {

namespace {

constexpr uint32_t max_dimension = 16384;

const char* file_kind(mode_t mode) {
    switch (mode & S_IFMT) {
    case S_IFIFO:
        return "a pipe";
    case S_IFSOCK:
        return "a socket";
    case S_IFCHR:
        return "a character device";
    case S_IFBLK:
        return "a block device";
    case S_IFDIR:
        return "a directory";
    default:
        return "not a regular file";
    }
}

} // namespace

Result<Layout> check_scanout_map(uint64_t file_size, uint32_t offset, uint32_t width,
                                 uint32_t height, uint32_t stride, uint32_t pixman_format) {
    const std::string what = "ScanoutMap " + std::to_string(width) + "x" + std::to_string(height) +
                             " stride " + std::to_string(stride) + " offset " +
                             std::to_string(offset) + " " + describe_pixman(pixman_format) + " (" +
                             std::to_string(file_size) + "-byte file)";
    Layout layout;
    layout.width = width;
    layout.height = height;
    layout.stride = stride;
    layout.offset = offset;
    layout.format = format_from_pixman(pixman_format);
    if (!layout.format)
        return Error{what + ": unknown pixman format", EINVAL};
    if (width == 0 || height == 0)
        return Error{what + ": zero size", EINVAL};
    if (width > max_dimension || height > max_dimension)
        return Error{what + ": larger than " + std::to_string(max_dimension) + " pixels", E2BIG};
    const uint64_t row = uint64_t(width) * layout.format->bytes_per_pixel;
    if (stride < row)
        return Error{what + ": stride smaller than width × " +
                         std::to_string(layout.format->bytes_per_pixel) + " bytes",
                     EINVAL};
    if (row * height > max_surface_bytes)
        return Error{what + ": surface larger than " + std::to_string(max_surface_bytes >> 20) +
                         " MiB",
                     E2BIG};
    // Each factor is below 2^32 and height ≤ 16384: the sum cannot overflow 64 bits.
    const uint64_t end = uint64_t(offset) + uint64_t(stride) * height;
    if (end > file_size)
        return Error{what + ": offset + stride × height = " + std::to_string(end) +
                         " bytes, past the end of the file",
                     EINVAL};
    return layout;
}

Result<Rect> clip_update_map(const Layout& surface, const Rect& rect) {
    const std::string what = "UpdateMap " + rect.to_string();
    if (rect.empty())
        return Error{what + ": empty rectangle", EINVAL};
    // In 64 bits: x + w may not fit in 32.
    const int64_t x1 = std::max<int64_t>(rect.x, 0), y1 = std::max<int64_t>(rect.y, 0);
    const int64_t x2 = std::min<int64_t>(int64_t(rect.x) + rect.w, surface.width);
    const int64_t y2 = std::min<int64_t>(int64_t(rect.y) + rect.h, surface.height);
    if (x2 <= x1 || y2 <= y1)
        return Error{what + ": outside the " + std::to_string(surface.width) + "x" +
                         std::to_string(surface.height) + " mapped surface",
                     EINVAL};
    return Rect{int32_t(x1), int32_t(y1), int32_t(x2 - x1), int32_t(y2 - y1)};
}

std::string udmabuf_refusal(unsigned raw_seals) {
    if (raw_seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE))
        return "the memfd is sealed against writes, which udmabuf refuses";
    if (raw_seals & F_SEAL_SHRINK)
        return {};
    if (raw_seals & F_SEAL_SEAL)
        return "the memfd lacks F_SEAL_SHRINK (which udmabuf requires) and its F_SEAL_SEAL "
               "forbids adding it";
    // Adding a seal to QEMU's own file would change what QEMU may do with it: leave it be.
    return "the memfd lacks F_SEAL_SHRINK, which udmabuf requires";
}

Result<std::unique_ptr<MappedScanout>> MappedScanout::adopt(UniqueFd fd, uint32_t offset,
                                                            uint32_t width, uint32_t height,
                                                            uint32_t stride, uint32_t pixman_format,
                                                            const Udmabuf* udmabuf) {
    struct stat st {};
    if (::fstat(fd.get(), &st) < 0)
        return Error::from_errno(errno, "ScanoutMap: fstat of the passed fd failed");
    if (!S_ISREG(st.st_mode))
        return Error{std::string("ScanoutMap: the passed fd is ") + file_kind(st.st_mode) +
                         ", not a memfd or regular file; pass the surface's memfd",
                     EINVAL};
    Result<Layout> layout =
        check_scanout_map(uint64_t(st.st_size), offset, width, height, stride, pixman_format);
    if (!layout)
        return layout.error();
    const uint64_t bytes = uint64_t(stride) * height;
    Result<Mapping> view =
        Mapping::map(fd.get(), offset, size_t(bytes), PROT_READ, "ScanoutMap memfd");
    if (!view)
        return view.error();

    // Outputs map whole pages: take the enclosing pages and point the layout into them.
    const uint64_t first = align_down(offset, page_size());
    const uint64_t length = align_up(offset + bytes, page_size()) - first;
    layout->offset = offset - first;

    std::optional<DmaBuf> dmabuf;
    std::string no_dmabuf;
    Result<unsigned> seals = Memfd::raw_seals(fd.get());
    if (!seals)
        no_dmabuf = "the file is not a memfd (" + seals.error().message + ")";
    else
        no_dmabuf = udmabuf_refusal(*seals);
    if (no_dmabuf.empty() && first + length > uint64_t(st.st_size))
        no_dmabuf = "the surface's last page extends past the end of the memfd";
    if (no_dmabuf.empty() && !udmabuf)
        no_dmabuf = "/dev/udmabuf is not in use";
    if (no_dmabuf.empty()) {
        Result<DmaBuf> made = udmabuf->create({fd.get(), first, length});
        if (made)
            dmabuf = std::move(*made);
        else
            no_dmabuf = made.error().message;
    }
    auto shared = std::make_shared<const UniqueFd>(std::move(fd));
    auto buffer =
        std::make_shared<const Buffer>(*layout, std::vector<Backing>{{shared, first, length}},
                                       std::move(dmabuf), "qemu ScanoutMap");
    return std::unique_ptr<MappedScanout>(
        new MappedScanout(std::move(*view), std::move(buffer), std::move(no_dmabuf)));
}

} // namespace udmaview::qemu
