// SPDX-License-Identifier: MIT
#include "gl_checks.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <iostream>
#include <optional>

#include "check_support.h"
#include "outputs/kms/kms_output.h"
#include "udmaview/clock.h"
#include "udmaview/parse.h"
#include "udmaview/placement.h"

namespace udmaview::vmcheck {

namespace {

class QuietSink : public OutputSink {
public:
    void on_presented(uint64_t, uint64_t) override {}
    void on_input(const InputEvent&) override {}
    void on_quit() override {}
    void on_output_error(const Error& e) override { std::cerr << e.message << "\n"; }
};

// What GLES shows of src in a screen of w × h with the picture covering vp (black around it):
//   nearest: screen pixel X samples source column floor((X - vp.x + 0.5) · src_w / vp.w),
//            clamped to the picture (rows alike) – the texel whose cell holds the pixel centre;
//   linear:  u = (X - vp.x + 0.5) · src_w / vp.w - 0.5; the two columns around u weighted
//            by its fraction (clamp to edge; rows alike).
RgbaImage reference(const RgbaImage& src, uint32_t w, uint32_t h, const Rect& vp, bool linear) {
    RgbaImage r;
    r.width = w;
    r.height = h;
    r.pixels.assign(size_t(w) * h * 4, 0);
    auto clampi = [](int64_t v, uint32_t n) {
        return uint32_t(std::clamp<int64_t>(v, 0, n - 1));
    };
    for (uint32_t y = 0; y < h; ++y)
        for (uint32_t x = 0; x < w; ++x) {
            uint8_t* o = &r.pixels[(size_t(y) * w + x) * 4];
            o[3] = 255;
            if (!vp.contains_point(int32_t(x), int32_t(y)))
                continue;
            const double u = (double(x) - vp.x + 0.5) * src.width / vp.w;
            const double v = (double(y) - vp.y + 0.5) * src.height / vp.h;
            if (!linear) {
                const uint8_t* s = src.at(clampi(int64_t(std::floor(u)), src.width),
                                          clampi(int64_t(std::floor(v)), src.height));
                std::copy(s, s + 3, o);
                continue;
            }
            const double fu = u - 0.5, fv = v - 0.5;
            const int64_t x0 = int64_t(std::floor(fu)), y0 = int64_t(std::floor(fv));
            const double ax = fu - double(x0), ay = fv - double(y0);
            for (int c = 0; c < 3; ++c) {
                auto at = [&](int64_t sx, int64_t sy) {
                    return double(src.at(clampi(sx, src.width), clampi(sy, src.height))[c]);
                };
                const double top = at(x0, y0) * (1 - ax) + at(x0 + 1, y0) * ax;
                const double bottom = at(x0, y0 + 1) * (1 - ax) + at(x0 + 1, y0 + 1) * ax;
                o[c] = uint8_t(std::lround(top * (1 - ay) + bottom * ay));
            }
        }
    return r;
}

struct Mismatch {
    uint64_t pixels = 0; // more than the tolerance off in a channel
    int max_delta = 0;
    Rect bounds;
};
Mismatch compare(const RgbaImage& want, const RgbaImage& got, int tolerance, const Rect& where) {
    Mismatch m;
    Region bad;
    for (int32_t y = where.y; y < where.bottom(); ++y)
        for (int32_t x = where.x; x < where.right(); ++x) {
            const uint8_t* a = want.at(uint32_t(x), uint32_t(y));
            const uint8_t* b = got.at(uint32_t(x), uint32_t(y));
            int d = 0;
            for (int c = 0; c < 3; ++c)
                d = std::max(d, std::abs(int(a[c]) - int(b[c])));
            m.max_delta = std::max(m.max_delta, d);
            if (d > tolerance) {
                ++m.pixels;
                bad.add(Rect{x, y, 1, 1});
            }
        }
    m.bounds = bad.bounds();
    return m;
}

// One case: NAME:PATH:SCALE:FILTER:WxH:TOLERANCE:EXPECTED_PATH.
struct GlCase {
    std::string name, path, filter, expect_path;
    ScaleMode scale = ScaleMode::Fit;
    uint32_t w = 0, h = 0;
    int tolerance = 0;
};

std::optional<GlCase> parse_case(const std::string& spec) {
    std::vector<std::string> f;
    size_t start = 0;
    for (size_t colon; (colon = spec.find(':', start)) != std::string::npos; start = colon + 1)
        f.push_back(spec.substr(start, colon - start));
    f.push_back(spec.substr(start));
    if (f.size() != 7)
        return std::nullopt;
    Result<ScaleMode> scale = parse_scale_mode(f[2]);
    Result<Size> size = parse_size(f[4]);
    if (!scale || !size)
        return std::nullopt;
    return GlCase{f[0], f[1], f[3], f[6], *scale, size->width, size->height, std::stoi(f[5])};
}

void run_case(const std::string& out, const std::string& mode, const GlCase& c) {
    std::cout << "# case " << c.name << "\n";
    const std::string& path = c.path;
    const std::string& filter = c.filter;
    const std::string& expect_path = c.expect_path;
    const int tolerance = c.tolerance;
    const ScaleMode* scale = &c.scale;
    const uint32_t w = c.w, h = c.h;
    Result<Picture> pic = make_picture(w, h, true);
    if (!pic) {
        check(false, c.name + ": picture: " + pic.error().message);
        return;
    }
    kms::KmsOptions ko;
    ko.verbose = true;
    ko.mode = mode;
    ko.scale = *scale;
    ko.linear = filter == "linear";
    ko.path = path == "auto"                    ? kms::KmsPath::Auto
              : path == "plane"                 ? kms::KmsPath::Plane
              : path == "copy" || path == "cpu" ? kms::KmsPath::Copy
                                                : kms::KmsPath::Gl;
    kms::KmsOutput kms_out(ko);
    QuietSink sink;
    if (Status s = kms_out.start(); !s) {
        check(false, c.name + ": start: " + s.error().message);
        return;
    }
    fill(*pic, pic->layout.bounds(), pattern_pixel);
    Frame f1{1, pic->buffer, Region(pic->layout.bounds()), now_ns()};
    SubmitStats st1;
    check(bool(kms_out.submit(f1, st1, sink)), "frame 1 (modeset) submitted");
    kms_out.wait_idle(&sink, 2000);
    if (!expect_path.empty())
        check(st1.path == expect_path,
              "frame 1 takes the " + expect_path + " path (got " + st1.path + ")");
    const std::string s1 = out + "/" + c.name + "-1.png", s2 = out + "/" + c.name + "-2.png";
    check(screendump(s1), "screendump 1");
    Result<RgbaImage> g1 = read_png(s1);
    if (!g1) {
        check(false, "screendump 1 readable");
        return;
    }
    const Rect screen{0, 0, int32_t(g1->width), int32_t(g1->height)};
    const Rect vp = uncropped_dst(place(w, h, g1->width, g1->height, *scale), w, h);
    const bool linear = filter == "linear";
    std::cout << "# " << w << "x" << h << " on " << g1->width << "x" << g1->height << ", " << filter
              << ", picture at " << vp.to_string() << ", path " << st1.path << "\n";
    const Mismatch m1 = compare(reference(expected_image(*pic), g1->width, g1->height, vp, linear),
                                *g1, tolerance, screen);
    check(m1.pixels == 0, "screendump 1 equals the " + filter + " reference within " +
                              std::to_string(tolerance) + " (" + std::to_string(m1.pixels) +
                              " pixels off, in " + m1.bounds.to_string() + "; max delta " +
                              std::to_string(m1.max_delta) + ")");

    // A declared small rect and an undeclared one elsewhere: only the first may show.
    const Rect declared = paint_damage_probe(*pic).declared;
    Frame f2{2, pic->buffer, Region(declared), now_ns()};
    SubmitStats st2;
    check(bool(kms_out.submit(f2, st2, sink)), "frame 2 (damage only) submitted");
    kms_out.wait_idle(&sink, 2000);
    // The damaged rect scaled: [floor(x · vp.w / w), ceil(right · vp.w / w)) (rows alike).
    const Rect on_screen_rect{
        vp.x + int32_t(int64_t(declared.x) * vp.w / w),
        vp.y + int32_t(int64_t(declared.y) * vp.h / h),
        int32_t((int64_t(declared.right()) * vp.w + w - 1) / w - int64_t(declared.x) * vp.w / w),
        int32_t((int64_t(declared.bottom()) * vp.h + h - 1) / h - int64_t(declared.y) * vp.h / h)};
    const Region on_screen(on_screen_rect.intersect(screen));
    const Region& clips = kms_out.display()->last_clips();
    std::cout << "# damage on screen " << on_screen.to_string() << ", clips signalled "
              << clips.to_string() << "\n";
    check(clips.empty() || on_screen.subtracted(clips).empty(),
          "the clips (where the plane takes them) cover the scaled damaged rect");
    check(clips.area() < int64_t(g1->width) * g1->height / 4,
          "the clips are far smaller than the screen");
    // Linear sampling blends one source pixel beyond the rect: allow that margin.
    Rect allowed = on_screen.bounds();
    if (linear) {
        const int32_t mx = vp.w / int32_t(w) + 2, my = vp.h / int32_t(h) + 2;
        allowed = Rect{allowed.x - mx, allowed.y - my, allowed.w + 2 * mx, allowed.h + 2 * my};
    }
    if (st2.path == "dumb-copy") {
        // pixman redraws the screen pixels the change covers: the scaled rect, no more.
        const uint64_t least = uint64_t(on_screen.area()) * 4,
                       most = uint64_t(allowed.intersect(screen).area()) * 4;
        check(st2.imports == 0 && st2.bytes_copied >= least && st2.bytes_copied <= most,
              "frame 2: no import, " + std::to_string(least) + "-" + std::to_string(most) +
                  " bytes written = the scaled damaged rect x 4 (path " + st2.path + ", " +
                  std::to_string(st2.bytes_copied) + " bytes)");
    } else {
        const uint64_t want = st2.path == "gl-upload" ? uint64_t(declared.area()) * 4 : 0;
        check(st2.imports == 0 && st2.bytes_copied == want,
              "frame 2: no import, " + std::to_string(want) + " bytes copied = damaged area x " +
                  "4 (path " + st2.path + ", " + std::to_string(st2.bytes_copied) + " bytes)");
    }
    check(screendump(s2), "screendump 2");
    Result<RgbaImage> g2 = read_png(s2);
    if (g2) {
        const Diff d = diff(*g1, *g2);
        std::cout << "# changed on screen: " << d.pixels << " pixels in " << d.bounds.to_string()
                  << "\n";
        check(d.pixels > 0 && allowed.contains(d.bounds),
              "the screen changed only inside the scaled damaged rect " + allowed.to_string());
        // Inside the rect, away from its edges where linear sampling blends in the old
        // neighbours.
        const int32_t inset = linear ? 2 : 0;
        const Rect inner{on_screen_rect.x + inset, on_screen_rect.y + inset,
                         on_screen_rect.w - 2 * inset, on_screen_rect.h - 2 * inset};
        const Mismatch m2 =
            compare(reference(expected_image(*pic), g2->width, g2->height, vp, linear), *g2,
                    tolerance, inner.intersect(screen));
        check(m2.pixels == 0, "the damaged rect shows the new picture (" +
                                  std::to_string(m2.pixels) + " pixels off)");
    }
    kms_out.stop();
}

} // namespace

int run_gl(const std::string& out, std::vector<std::string> args) {
    const std::string mode = arg_after(args, "--mode", "");
    for (const std::string& spec : args) {
        if (spec.find(':') == std::string::npos)
            continue;
        std::optional<GlCase> c = parse_case(spec);
        if (!c) {
            std::cerr << "kms_vm_check gl: bad case '" << spec << "'\n";
            return 2;
        }
        run_case(out, mode, *c);
    }
    return failed_checks() ? 1 : 0;
}

} // namespace udmaview::vmcheck
