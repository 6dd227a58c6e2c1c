// SPDX-License-Identifier: MIT
// Guest-side checker of the KMS output (runs inside the VM test bed, see tests/vm/README.md).
// It drives KmsOutput in-process, asks the host for a QMP screendump of the emulated display
// (vmctl) while a frame is on screen, and compares the real scanout pixels with what the
// output was given. The gl command: gl_checks.h.
//   kms_vm_check demo OUT_DIR [--size WxH] [--frames N] [--seed S] [--pattern P]
//                [--mode WxH] [--expect-path import|dumb-copy] [--no-udmabuf] [--format F]
//                [--legacy] [--kms-path plane|auto|gl|copy] [--scale S] [--filter F]
//       demo source → KmsOutput; at the end the screendump must equal the headless output's
//       picture of the same options (exact); asserts the path and, for import, 0 bytes
//       copied and 0 imports per steady-state frame; prints CPU time per frame and latency.
//       --legacy: the legacy KMS API (SetCrtc, PageFlip, DirtyFB) even where atomic exists.
//   kms_vm_check damage OUT_DIR --size WxH
//       synthetic udmabuf picture; a small declared rect changes (must show), another rect
//       changes undeclared (must not show: the damage signalled did not cover the whole
//       frame); then a source of another size (re-layout without restart), and one larger
//       than the mode (--scale none: shown 1:1, cropped from the centre).
//   kms_vm_check compare A.png B.png [MAX_DIFFERING_PIXELS [X Y]]  (X Y: B is A's piece there)
//   kms_vm_check lit PNG X Y W H MIN: at least MIN pixels of the rect are not black
//   kms_vm_check console-state
//       prints the active VT's KD mode, keyboard mode and VT mode
//   kms_vm_check activate N: switches to VT N and waits for it
//   kms_vm_check kill-wait-console PID VT TIMEOUT_MS
//       SIGKILL to PID, then prints the ms until VT N is a usable text console again
//   kms_vm_check hold-master DEVICE SECONDS
#include <iostream>
#include <set>
#include <string>
#include <sys/resource.h>
#include <vector>

#include "check_support.h"
#include "cli/options.h"
#include "cli/source_factory.h"
#include "console_commands.h"
#include "damage_check.h"
#include "gl_checks.h"
#include "outputs/headless/headless_output.h"
#include "outputs/kms/kms_output.h"
#include "udmaview/clock.h"
#include "udmaview/png.h"
#include "udmaview/presenter.h"
#include "udmaview/scale_mode.h"
#include "udmaview/timing.h"

using namespace udmaview;
using namespace udmaview::vmcheck;

namespace {

// An output that keeps the last frame on screen for a screendump before stopping.
class ShotOutput : public Output {
public:
    ShotOutput(kms::KmsOutput& inner, std::string shot)
        : inner_(inner)
        , shot_(std::move(shot)) {}
    std::string name() const override { return inner_.name(); }
    Status start() override {
        cpu_start_ns_ = thread_cpu_ns();
        sys_start_ns_ = thread_cpu_ns(true);
        return inner_.start();
    }
    void stop() override { inner_.stop(); }
    int poll_fd() const override { return inner_.poll_fd(); }
    void dispatch(OutputSink& s) override { inner_.dispatch(s); }
    bool busy() const override { return inner_.busy(); }
    Status submit(const Frame& f, SubmitStats& st, OutputSink& s) override {
        Status done = inner_.submit(f, st, s);
        warm_start_ns_ = submits++ ? warm_start_ns_ : thread_cpu_ns(); // set up (gl: compiled)
        return done;
    }
    void retire(BufferId id) override { inner_.retire(id); }
    Status finish(const Frame* last) override {
        cpu_ns = thread_cpu_ns() - cpu_start_ns_;
        sys_ns = thread_cpu_ns(true) - sys_start_ns_;
        warm_cpu_ns = thread_cpu_ns() - warm_start_ns_;
        inner_.wait_idle(nullptr, 1000);
        shot_ok = screendump(shot_);
        last_seq = last ? last->seq : 0;
        return inner_.finish(last);
    }
    bool shot_ok = false;
    uint64_t cpu_ns = 0, sys_ns = 0, last_seq = 0, warm_cpu_ns = 0 /* after frame 1 */, submits = 0;

private:
    // User + system time of the calling (presenter/output) thread; only system with sys_only.
    static uint64_t thread_cpu_ns(bool sys_only = false) {
        rusage ru{};
        ::getrusage(RUSAGE_THREAD, &ru);
        const timeval u = sys_only ? timeval{} : ru.ru_utime;
        return uint64_t(u.tv_sec + ru.ru_stime.tv_sec) * 1'000'000'000u +
               uint64_t(u.tv_usec + ru.ru_stime.tv_usec) * 1000u;
    }
    kms::KmsOutput& inner_;
    std::string shot_;
    uint64_t cpu_start_ns_ = 0, sys_start_ns_ = 0, warm_start_ns_ = 0;
};

int run_demo(const std::string& out, std::vector<std::string> args) {
    // The demo options the viewer would get for the same command line.
    std::vector<std::string> demo_args = {"--size",    arg_after(args, "--size", "800x600"),
                                          "--frames",  arg_after(args, "--frames", "120"),
                                          "--seed",    arg_after(args, "--seed", "7"),
                                          "--pattern", arg_after(args, "--pattern", "all"),
                                          "--fps",     arg_after(args, "--fps", "60")};
    if (has_flag(args, "--no-udmabuf"))
        demo_args.push_back("--no-udmabuf");
    if (const std::string f = arg_after(args, "--format", ""); !f.empty())
        demo_args.insert(demo_args.end(), {"--format", f});
    Result<Options> parsed = parse_options(demo_args);
    if (!parsed) {
        std::cerr << parsed.error().message << "\n";
        return 2;
    }
    const Options& o = *parsed;
    const std::string expect_path = arg_after(args, "--expect-path", "");
    const std::string given = arg_after(args, "--expected", "");
    const std::string expected_png = given.empty() ? out + "/expected.png" : given;
    const std::string shot_png = out + "/kms.png";

    // 1. The expected picture: the headless output with the same options (same pixels),
    // unless the caller made it with `udmaview --output headless --dump-png`.
    if (given.empty()) {
        Result<std::unique_ptr<FrameSource>> source = make_source(o);
        if (!source) {
            std::cerr << source.error().message << "\n";
            return 1;
        }
        HeadlessOutput headless(HeadlessOptions{expected_png});
        TimingRecorder timing("demo", "headless");
        Result<UniqueFd> sig = Presenter::block_signals();
        if (!sig)
            return 1;
        Presenter p(**source, headless, timing, {o.frames, 0, false});
        Result<StopReason> r = p.run(std::move(*sig));
        check(bool(r), "headless run for the expected picture");
    }
    // 2. The same through KMS, with a screendump of the last frame.
    Result<std::unique_ptr<FrameSource>> source = make_source(o);
    if (!source) {
        std::cerr << source.error().message << "\n";
        return 1;
    }
    kms::KmsOptions ko;
    ko.mode = arg_after(args, "--mode", "");
    // A scaled picture is not the headless one: the comparison below fails (measure.sh).
    if (Result<ScaleMode> scale = parse_scale_mode(arg_after(args, "--scale", "fit")))
        ko.scale = *scale;
    ko.linear = arg_after(args, "--filter", "linear") == "linear";
    ko.verbose = true;
    ko.atomic = !has_flag(args, "--legacy");
    const std::string kms_path = arg_after(args, "--kms-path", "plane");
    ko.path = kms_path == "auto"                        ? kms::KmsPath::Auto
              : kms_path == "gl"                        ? kms::KmsPath::Gl
              : kms_path == "copy" || kms_path == "cpu" ? kms::KmsPath::Copy
                                                        : kms::KmsPath::Plane;
    kms::KmsOutput kms_out(std::move(ko));
    ShotOutput shot(kms_out, shot_png);
    TimingRecorder timing("demo", "kms");
    Result<UniqueFd> sig = Presenter::block_signals();
    if (!sig)
        return 1;
    Presenter p(**source, shot, timing, {o.frames, 0, false});
    Result<StopReason> r = p.run(std::move(*sig));
    check(bool(r), std::string("kms run: ") + (r ? "ok" : r.error().message));
    check(shot.shot_ok, "screendump taken");
    if (Status s = timing.write_file(out + "/timing.json"); !s)
        std::cerr << s.error().message << "\n";

    // Path and steady-state counters.
    uint64_t steady = 0, steady_bytes = 0, steady_imports = 0, submitted = 0;
    std::string paths;
    std::set<uint64_t> seen; // a buffer's first frame imports it; later ones are steady state
    for (const FrameRecord& rec : timing.records()) {
        if (!rec.submitted_ns)
            continue;
        ++submitted;
        if (paths.find(rec.path) == std::string::npos)
            paths += (paths.empty() ? "" : ",") + rec.path;
        if (seen.insert(rec.buffer_id).second || rec.seq == 1)
            continue;
        ++steady;
        steady_bytes += rec.bytes_copied;
        steady_imports += rec.imports;
    }
    std::cout << "# driver " << kms_out.driver() << ", paths " << paths << ", frames submitted "
              << submitted << ", steady-state frames " << steady << ", bytes copied "
              << steady_bytes << ", imports " << steady_imports << "\n";
    if (!expect_path.empty())
        check(paths == expect_path, "path taken is " + expect_path + " (got " + paths + ")");
    if (expect_path == "import") {
        check(steady > 0 && steady_bytes == 0, "0 bytes copied in steady state");
        check(steady > 0 && steady_imports == 0, "0 imports in steady state");
    }
    const TimingSummary sum = timing.summary();
    std::cout << "# frames " << sum.frames << " presented " << sum.presented << " dropped "
              << sum.dropped << " fps " << sum.fps << "\n";
    std::cout << "# cpu per frame (presenter+output thread) "
              << (submitted ? double(shot.cpu_ns) / double(submitted) / 1e6 : 0)
              << " ms, of which system "
              << (submitted ? double(shot.sys_ns) / double(submitted) / 1e6 : 0) << " ms; after "
              << "frame 1 " << double(shot.warm_cpu_ns) / double(shot.submits - 1) / 1e6 << " ms\n";
    std::cout << "# produced->presented p50 " << sum.produced_to_presented.p50_ms << " ms p99 "
              << sum.produced_to_presented.p99_ms << " ms; submitted->presented p50 "
              << sum.submitted_to_presented.p50_ms << " ms p99 "
              << sum.submitted_to_presented.p99_ms << " ms\n";
    std::cout << "# bytes copied per frame " << sum.bytes_copied_per_frame << ", imports total "
              << sum.imports_total << "\n";

    Result<RgbaImage> want = read_png(expected_png);
    Result<RgbaImage> got = read_png(shot_png);
    check(want && got, "both pictures readable");
    if (want && got) {
        const int32_t ox = (int32_t(got->width) - int32_t(want->width)) / 2;
        const int32_t oy = (int32_t(got->height) - int32_t(want->height)) / 2;
        const Diff d = diff(*want, *got, std::max(ox, 0), std::max(oy, 0));
        std::cout << "# screendump " << got->width << "x" << got->height << ", expected "
                  << want->width << "x" << want->height << "\n";
        check(got->width >= want->width && got->height >= want->height,
              "screen is at least the source size");
        check(d.pixels == 0, "screendump equals the expected frame (" + std::to_string(d.pixels) +
                                 " pixels differ, in " + d.bounds.to_string() + ")");
    }
    return failed_checks() ? 1 : 0;
}

} // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.size() >= 2 && args[0] == "demo")
        return run_demo(args[1], std::vector<std::string>(args.begin() + 2, args.end()));
    if (args.size() >= 2 && args[0] == "gl")
        return run_gl(args[1], std::vector<std::string>(args.begin() + 2, args.end()));
    if (args.size() >= 2 && args[0] == "damage")
        return run_damage(args[1], std::vector<std::string>(args.begin() + 2, args.end()));
    if (args.size() >= 3 && args[0] == "compare")
        return run_compare(args[1], args[2], args.size() > 3 ? std::stoull(args[3]) : 0,
                           args.size() > 5
                               ? std::optional(std::pair(std::stoi(args[4]), std::stoi(args[5])))
                               : std::nullopt);
    if (args.size() == 2 && args[0] == "activate")
        return run_activate(std::stoi(args[1]));
    if (args.size() == 7 && args[0] == "lit")
        return run_lit(
            args[1],
            {std::stoi(args[2]), std::stoi(args[3]), std::stoi(args[4]), std::stoi(args[5])},
            std::stoull(args[6]));
    if (args.size() == 1 && args[0] == "console-state")
        return run_console_state();
    if (args.size() == 3 && args[0] == "hold-master")
        return run_hold_master(args[1], std::stoi(args[2]));
    if (args.size() == 4 && args[0] == "kill-wait-console")
        return run_kill_wait_console(std::stoi(args[1]), std::stoi(args[2]), std::stoi(args[3]));
    std::cerr << "usage: kms_vm_check COMMAND ARGS (commands: the header of kms_vm_check.cpp)\n";
    return 2;
}
