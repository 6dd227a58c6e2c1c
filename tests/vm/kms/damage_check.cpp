// SPDX-License-Identifier: MIT
#include "damage_check.h"

#include <iostream>

#include "check_support.h"
#include "outputs/kms/kms_output.h"
#include "udmaview/clock.h"
#include "udmaview/parse.h"

namespace udmaview::vmcheck {

namespace {

class NullSink : public OutputSink {
public:
    void on_presented(uint64_t, uint64_t) override {}
    void on_input(const InputEvent&) override {}
    void on_quit() override {}
    void on_output_error(const Error& e) override { std::cerr << e.message << "\n"; }
};

} // namespace

int run_damage(const std::string& out, std::vector<std::string> args) {
    Result<Size> size = parse_size(arg_after(args, "--size", "800x600"));
    if (!size)
        return 2;
    const uint32_t w = size->width, h = size->height;
    Result<Picture> pic = make_picture(w, h, true);
    if (!pic) {
        std::cerr << pic.error().message << "\n";
        return 1;
    }
    kms::KmsOptions ko;
    ko.path = kms::KmsPath::Plane; // the plane, else the cpu path whose clips are checked
    ko.scale = ScaleMode::None;    // every step's screen is the picture itself (1:1)
    ko.verbose = true;
    ko.mode = std::to_string(w) + "x" + std::to_string(h);
    kms::KmsOutput kms_out(ko);
    NullSink sink;
    if (Status s = kms_out.start(); !s) {
        std::cerr << s.error().message << "\n";
        return 1;
    }
    fill(*pic, pic->layout.bounds(), pattern_pixel);
    Frame f1{1, pic->buffer, Region(pic->layout.bounds()), now_ns()};
    SubmitStats st1;
    check(bool(kms_out.submit(f1, st1, sink)), "frame 1 (modeset) submitted");
    kms_out.wait_idle(&sink, 2000);
    check(st1.path == "import" && st1.imports == 1, "frame 1 imported (path " + st1.path + ")");
    const std::string s1 = out + "/damage-1.png", s2 = out + "/damage-2.png";
    check(screendump(s1), "screendump 1");
    Result<RgbaImage> g1 = read_png(s1);
    const RgbaImage want1 = expected_image(*pic);
    check(g1 && diff(want1, *g1).pixels == 0, "screendump 1 equals the picture");

    // A declared small rect and an undeclared one on other rows.
    const auto [declared, undeclared] = paint_damage_probe(*pic);
    Frame f2{2, pic->buffer, Region(declared), now_ns()};
    SubmitStats st2;
    check(bool(kms_out.submit(f2, st2, sink)), "frame 2 (damage only) submitted");
    kms_out.wait_idle(&sink, 2000);
    check(st2.imports == 0 && st2.bytes_copied == 0 && st2.path == "import",
          "frame 2: no import, no copy (path " + st2.path + ", " +
              std::to_string(st2.bytes_copied) + " bytes)");
    const Region& clips = kms_out.display()->last_clips();
    std::cout << "# clips signalled: " << clips.to_string() << "\n";
    check(Region(declared).subtracted(clips).empty(), "the clips cover the declared rect");
    check(clips.area() < int64_t(w) * h / 4, "the clips are far smaller than the frame");
    check(!clips.intersected(undeclared).area(), "the clips miss the undeclared rect");
    // The pitch quirk is keyed on the kernel: where it applies the clips span full rows, where
    // it does not they are exactly the declared rect, and the screendump below proves the
    // driver drew them in place.
    const bool widen = kms_out.display()->quirks().full_row_clips_above_pitch &&
                       w * 4 > kms_out.display()->quirks().full_row_clips_above_pitch;
    const kms::KernelVersion k = kms::running_kernel();
    std::cout << "# kernel " << k.major << "." << k.minor << "." << k.patch << ", pitch " << w * 4
              << ": full-row clips " << (widen ? "yes" : "no") << "\n";
    if (widen)
        check(clips.bounds().x == 0 && clips.bounds().w == int32_t(w),
              "clips widened to full rows (pitch quirk of this kernel)");
    else
        check(clips == Region(declared), "clips are exactly the declared rect");
    check(screendump(s2), "screendump 2");
    Result<RgbaImage> g2 = read_png(s2);
    if (g1 && g2) {
        const Diff d = diff(*g1, *g2);
        std::cout << "# changed on screen: " << d.pixels << " pixels in " << d.bounds.to_string()
                  << "\n";
        check(d.pixels > 0 && declared.contains(d.bounds),
              "the screen changed only inside the declared rect " + declared.to_string());
        check(d.pixels == uint64_t(declared.area()), "the whole declared rect changed");
        const uint8_t* px = g2->at(uint32_t(declared.x + 1), uint32_t(declared.y + 1));
        check(px[0] == 0xff && px[1] == 0 && px[2] == 0xff, "declared rect shows the new colour");
    }

    // Re-layout: the source changes resolution; same output, no restart.
    Result<Picture> small = make_picture(640, 480, true);
    if (small) {
        fill(*small, small->layout.bounds(), pattern_pixel);
        Frame f3{3, small->buffer, Region(small->layout.bounds()), now_ns()};
        SubmitStats st3;
        // --mode is fixed here (w x h): the 640x480 picture is centred on it (by the plane,
        // or composed by the cpu path when the plane cannot position it).
        check(bool(kms_out.submit(f3, st3, sink)), "frame 3 (640x480 source) submitted");
        kms_out.wait_idle(&sink, 2000);
        kms_out.retire(pic->buffer->id());
        const std::string s3 = out + "/damage-3.png";
        check(screendump(s3), "screendump 3");
        Result<RgbaImage> g3 = read_png(s3);
        const Placement& pl = kms_out.display()->placement();
        std::cout << "# re-layout: path " << st3.path << ", placement " << pl.to_string() << "\n";
        if (g3 && !pl.scaled()) {
            const Diff d = diff(expected_image(*small), *g3, pl.dst.x, pl.dst.y);
            check(d.pixels == 0, "re-laid-out picture shown 1:1 at " + pl.dst.to_string() + " (" +
                                     std::to_string(d.pixels) + " pixels differ)");
        } else {
            check(bool(g3), "re-laid-out picture shown (scaled: pixels not compared)");
        }
    }

    // A picture larger than the mode: shown 1:1 (whichever path), cropped from the centre.
    const uint32_t bw = w + 200, bh = h + 100;
    Result<Picture> big = make_picture(bw, bh, true);
    check(bool(big), "a " + std::to_string(bw) + "x" + std::to_string(bh) + " picture");
    if (big) {
        fill(*big, big->layout.bounds(), pattern_pixel);
        Frame f4{4, big->buffer, Region(big->layout.bounds()), now_ns()};
        SubmitStats st4;
        check(bool(kms_out.submit(f4, st4, sink)), "frame 4 (larger than the mode) submitted");
        kms_out.wait_idle(&sink, 2000);
        const std::string s4 = out + "/oversized.png";
        check(screendump(s4), "screendump 4");
        Result<RgbaImage> g4 = read_png(s4);
        const Placement& pl = kms_out.display()->placement();
        std::cout << "# oversized: path " << st4.path << ", placement " << pl.to_string() << "\n";
        const Rect centre{100, 50, int32_t(w), int32_t(h)};
        check(pl.src == centre && pl.dst == Rect{0, 0, int32_t(w), int32_t(h)},
              "placement crops the centre " + centre.to_string());
        const Diff d = g4 ? diff(expected_image(*big), *g4, -pl.src.x, -pl.src.y) : Diff{1, {}};
        check(g4 && d.pixels == 0, "the screen shows the centre of the larger picture (" +
                                       std::to_string(d.pixels) + " pixels differ)");
        kms_out.retire(big->buffer->id());
    }

    // Back to the first picture (import path again), then a same-size buffer without a
    // dma-buf (copy path): each switch re-lays out without a restart and shows exact pixels.
    Result<Picture> plain = make_picture(w, h, false);
    if (plain) {
        fill(*plain, plain->layout.bounds(),
             [](uint32_t x, uint32_t y) -> uint32_t { return pattern_pixel(y, x) ^ 0x5a5a5a; });
        const struct {
            const Picture* picture;
            const char* path;
        } steps[] = {{&*pic, "import"}, {&*plain, "dumb-copy"}};
        uint64_t seq = 5;
        for (const auto& step : steps) {
            Frame f{seq, step.picture->buffer, Region(step.picture->layout.bounds()), now_ns()};
            SubmitStats st;
            check(bool(kms_out.submit(f, st, sink)), "frame " + std::to_string(seq) + " submitted");
            kms_out.wait_idle(&sink, 2000);
            const std::string shot = out + "/switch-" + std::to_string(seq) + ".png";
            check(screendump(shot), "screendump " + std::to_string(seq));
            Result<RgbaImage> g = read_png(shot);
            check(st.path == step.path, "frame " + std::to_string(seq) + " takes the " + step.path +
                                            " path (got " + st.path + ")");
            check(g && diff(expected_image(*step.picture), *g).pixels == 0,
                  "frame " + std::to_string(seq) + " shows exactly its picture");
            ++seq;
        }
    }
    kms_out.stop();
    return failed_checks() ? 1 : 0;
}

} // namespace udmaview::vmcheck
