// SPDX-License-Identifier: MIT
#include "outputs/sdl/software_view.h"

#include <array>
#include <cstring>
#include <optional>
#include <sys/mman.h>
#include <vector>

#include "render/viewport.h"
#include "udmaview/clock.h"

namespace udmaview {

namespace {

// Same bytes for the same colour: rows can be copied as they are. Alpha does not matter (the
// window is opaque) as long as the target has no alpha bits of its own to fill.
bool same_channels(const Format& a, const Format& b) {
    return a.bytes_per_pixel == b.bytes_per_pixel && a.r_shift == b.r_shift &&
           a.r_bits == b.r_bits && a.g_shift == b.g_shift && a.g_bits == b.g_bits &&
           a.b_shift == b.b_shift && a.b_bits == b.b_bits && b.a_bits == 0;
}

// Where R, G and B sit when each is one whole byte of the pixel (most 24/32-bit formats):
// then a conversion moves bytes instead of unpacking and packing words.
std::optional<std::array<unsigned, 3>> channel_bytes(const Format& f) {
    for (auto [shift, bits] :
         {std::pair{f.r_shift, f.r_bits}, {f.g_shift, f.g_bits}, {f.b_shift, f.b_bits}})
        if (bits != 8 || shift % 8 != 0)
            return std::nullopt;
    return std::array<unsigned, 3>{f.r_shift / 8u, f.g_shift / 8u, f.b_shift / 8u};
}

// The source index under the centre of destination pixel d of n, for a source of size src:
// floor((d + 0.5) · src / n), in integers so every pixel is exact.
int64_t nearest(int64_t d, int64_t src, int64_t n) {
    return (2 * d + 1) * src / (2 * n);
}

} // namespace

Region damage_to_window(const Region& damage, const Layout& l, const Rect& viewport, uint32_t win_w,
                        uint32_t win_h) {
    Region shown;
    if (l.y0_top) {
        shown = damage;
    } else { // buffer row y is shown at height - 1 - y
        for (const Rect& r : damage.rects())
            shown.add(Rect{r.x, int32_t(l.height) - r.bottom(), r.w, r.h});
    }
    return source_to_window(shown, viewport, l.width, l.height, win_w, win_h, false);
}

bool write_rect(const uint8_t* buffer, const Layout& l, const Rect& vp, const PixelTarget& t,
                const Rect& rect) {
    const Rect r = rect.intersect(vp).intersect(Rect{0, 0, int32_t(t.width), int32_t(t.height)});
    if (r.empty() || l.width == 0 || l.height == 0)
        return false;
    const Format& sf = *l.format;
    const Format& df = t.format;
    const unsigned sbpp = sf.bytes_per_pixel, dbpp = df.bytes_per_pixel;
    const uint8_t* pixels = buffer + l.offset;
    auto source_row = [&](int32_t wy) {
        int64_t d = wy - vp.y;
        if (!l.y0_top) // bottom-up: the viewport's bottom row shows buffer row 0
            d = int64_t(vp.h) - 1 - d;
        return pixels + uint64_t(nearest(d, l.height, vp.h)) * l.stride;
    };
    auto target_row = [&](int32_t wy) {
        return t.pixels + size_t(wy) * t.pitch + size_t(r.x) * dbpp;
    };
    const bool same = same_channels(sf, df);
    if (same && vp.w == int32_t(l.width) && vp.h == int32_t(l.height)) {
        const size_t x_bytes = size_t(r.x - vp.x) * sbpp, bytes = size_t(r.w) * sbpp;
        for (int32_t wy = r.y; wy < r.bottom(); ++wy)
            std::memcpy(target_row(wy), source_row(wy) + x_bytes, bytes);
        return true;
    }
    std::vector<size_t> column(size_t(r.w)); // byte offset of each window column's source pixel
    for (int32_t i = 0; i < r.w; ++i)
        column[size_t(i)] = size_t(nearest(r.x + i - vp.x, l.width, vp.w)) * sbpp;
    const std::optional<std::array<unsigned, 3>> from = channel_bytes(sf), to = channel_bytes(df);
    const uint8_t opaque_black[4] = {0, 0, 0, 255};
    uint8_t black[4] = {};
    df.from_rgba8(opaque_black, black);
    const uint8_t* previous = nullptr;
    for (int32_t wy = r.y; wy < r.bottom(); ++wy) {
        const uint8_t* src = source_row(wy);
        uint8_t* dst = target_row(wy);
        if (src == previous) { // magnified: this row repeats the one above
            std::memcpy(dst, dst - t.pitch, size_t(r.w) * dbpp);
            continue;
        }
        previous = src;
        if (same) {
            for (int32_t i = 0; i < r.w; ++i)
                std::memcpy(dst + size_t(i) * dbpp, src + column[size_t(i)], dbpp);
            continue;
        }
        if (from && to) {
            for (int32_t i = 0; i < r.w; ++i) {
                const uint8_t* p = src + column[size_t(i)];
                uint8_t* q = dst + size_t(i) * dbpp;
                std::memcpy(q, black, dbpp); // spare and alpha bits as from_rgba8 leaves them
                q[(*to)[0]] = p[(*from)[0]];
                q[(*to)[1]] = p[(*from)[1]];
                q[(*to)[2]] = p[(*from)[2]];
            }
            continue;
        }
        for (int32_t i = 0; i < r.w; ++i) {
            uint8_t rgba[4];
            sf.to_rgba8(src + column[size_t(i)], rgba);
            rgba[3] = 255;
            df.from_rgba8(rgba, dst + size_t(i) * dbpp);
        }
    }
    return false;
}

void fill_black(const PixelTarget& t, const Rect& rect) {
    const Rect r = rect.intersect(Rect{0, 0, int32_t(t.width), int32_t(t.height)});
    if (r.empty())
        return;
    const unsigned bpp = t.format.bytes_per_pixel;
    const uint8_t black_rgba[4] = {0, 0, 0, 255};
    uint8_t black[4] = {};
    t.format.from_rgba8(black_rgba, black);
    for (int32_t y = r.y; y < r.bottom(); ++y) {
        uint8_t* row = t.pixels + size_t(y) * t.pitch + size_t(r.x) * bpp;
        for (int32_t x = 0; x < r.w; ++x)
            std::memcpy(row + size_t(x) * bpp, black, bpp);
    }
}

Status SoftwareView::update(const Frame& frame, SubmitStats& stats) {
    if (!frame.buffer)
        return Error{"sdl: frame " + std::to_string(frame.seq) + " has no buffer", EINVAL};
    const Buffer& buffer = *frame.buffer;
    const Layout& l = buffer.layout();
    auto it = entries_.find(buffer.id());
    if (it == entries_.end()) {
        if (Status s = l.validate(buffer.size()); !s)
            return Error{"sdl: buffer from " + buffer.origin() + ": " + s.error().message,
                         s.error().errnum};
        Result<Mapping> mapping = buffer.map(PROT_READ);
        if (!mapping)
            return Error{"sdl: " + mapping.error().message, mapping.error().errnum};
        it = entries_.emplace(buffer.id(), Entry{frame.buffer, std::move(*mapping)}).first;
        ++stats.imports;
    }
    const Layout* before = current_layout();
    if (!before || before->width != l.width || before->height != l.height ||
        before->y0_top != l.y0_top)
        view_changed_ = true;
    current_ = buffer.id();
    const Region damage = frame.damage.intersected(l.bounds());
    damage_.add(damage);
    stats.path = "software";
    stats.imported_ns = now_ns();
    const uint64_t read = view_changed_ ? uint64_t(l.width) * l.height : uint64_t(damage.area());
    stats.bytes_copied += read * l.format->bytes_per_pixel;
    return {};
}

SoftwareView::Drawn SoftwareView::draw(const PixelTarget& t) {
    Drawn out;
    const Rect window{0, 0, int32_t(t.width), int32_t(t.height)};
    if (t.width != last_w_ || t.height != last_h_) {
        view_changed_ = true;
        last_w_ = t.width;
        last_h_ = t.height;
    }
    auto it = entries_.find(current_);
    const Rect vp = viewport(t.width, t.height);
    if (view_changed_) {
        out.full = true;
        out.rects = Region(window);
        const Region borders = Region(window).subtracted(Region(vp));
        for (const Rect& border : borders.rects())
            fill_black(t, border);
    } else if (it != entries_.end()) {
        out.rects = damage_to_window(damage_, it->second.buffer->layout(), vp, t.width, t.height);
    }
    view_changed_ = false;
    damage_ = Region();
    if (it == entries_.end() || out.rects.empty())
        return out;
    const Buffer& buffer = *it->second.buffer;
    std::optional<DmaBufSync> sync = buffer.cpu_access(DmaBufSync::Read);
    for (const Rect& r : out.rects.rects())
        if (write_rect(it->second.mapping.data(), buffer.layout(), vp, t, r))
            ++out.fast_rects;
    return out;
}

const Layout* SoftwareView::current_layout() const {
    auto it = entries_.find(current_);
    return it == entries_.end() ? nullptr : &it->second.buffer->layout();
}

Rect SoftwareView::viewport(uint32_t win_w, uint32_t win_h) const {
    const Layout* l = current_layout();
    return l ? compute_viewport(l->width, l->height, win_w, win_h, scale_) : Rect{};
}

void SoftwareView::retire(BufferId id) {
    if (id != current_)
        entries_.erase(id);
}

} // namespace udmaview
