// SPDX-License-Identifier: MIT
// Test tool for the QEMU e2e tests: runs udmaview's real Presenter with the real QemuSource and
// an output that wraps the headless output. The output
//  - prints one line per frame it is given: seq, buffer, damage rects, and the pixels that
//    really changed since the previous frame of the same buffer and lie outside the damage
//    ("outside=N", "outside_box"), so tests can check damage against pixels. The source
//    thread may already have written the next update while a frame is read: such pixels must
//    then be inside the damage of the following frames (the test checks that);
//  - reads commands from stdin ("key CODE" = press + release of Linux KEY_ code CODE, "press
//    CODE", "release CODE", "move X Y", "rel DX DY", "button CODE 0|1", "wheel DY") and reports
//    them to the presenter as input events (OutputSink::on_input), exactly as the SDL/KMS outputs
//    do; the presenter hands them to QemuSource::send_input; "size W H WMM HMM" reports a wanted
//    size (OutputSink::on_size_wanted) as a resize or modeset does;
//  - dumps the last frame as PNG at the end (--dump-png), like `udmaview --dump-png`.
// Usage: qemu-driver --source SPEC [--connect URI] [--console N] [--reconnect] [--duration S]
//                    [--dump-png P]   (SPEC: qemu…, or libvirt:DOMAIN where libvirt is built)
#include <cstdio>
#include <cstring>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <sys/mman.h>
#include <unistd.h>
#include <vector>

#include "cli/source_spec.h"
#include "outputs/headless/headless_output.h"
#include "sources/qemu/qemu_source.h"
#include "udmaview_config.h"
#if UDMAVIEW_HAVE_LIBVIRT
#include "sources/libvirt/libvirt_source.h"
#endif
#include "udmaview/presenter.h"
#include "udmaview/timing.h"

using namespace udmaview;

namespace {

class DriverOutput : public Output {
public:
    explicit DriverOutput(HeadlessOptions o)
        : headless_(std::move(o)) {}

    std::string name() const override { return "qemu-driver"; }
    Status start() override { return headless_.start(); }
    void stop() override {
        copies_.clear();
        headless_.stop();
    }
    int poll_fd() const override { return stdin_open_ ? 0 : -1; }
    void dispatch(OutputSink& sink) override {
        char chunk[1024];
        ssize_t n = ::read(0, chunk, sizeof chunk);
        if (n <= 0) {
            stdin_open_ = false;
            return;
        }
        line_.append(chunk, size_t(n));
        size_t nl;
        while ((nl = line_.find('\n')) != std::string::npos) {
            command(line_.substr(0, nl), sink);
            line_.erase(0, nl + 1);
        }
    }
    bool busy() const override { return false; }
    Status submit(const Frame& frame, SubmitStats& stats, OutputSink& sink) override {
        report(frame);
        return headless_.submit(frame, stats, sink);
    }
    void retire(BufferId id) override {
        std::printf("retire buffer=%llu\n", (unsigned long long)id);
        std::fflush(stdout);
        copies_.erase(id);
        headless_.retire(id);
    }
    Status finish(const Frame* last) override { return headless_.finish(last); }
    void set_cursor(const CursorState& c) override {
        std::printf("cursor visible=%d x=%d y=%d image=%ux%u\n", int(c.visible), c.x, c.y,
                    c.image ? c.image->width : 0, c.image ? c.image->height : 0);
        std::fflush(stdout);
    }

private:
    void command(const std::string& text, OutputSink& sink) {
        std::istringstream in(text);
        std::string verb;
        in >> verb;
        int a = 0, b = 0;
        in >> a >> b;
        if (verb == "key") {
            sink.on_input(KeyEvent{uint16_t(a), true});
            sink.on_input(KeyEvent{uint16_t(a), false});
        } else if (verb == "press" || verb == "release") {
            sink.on_input(KeyEvent{uint16_t(a), verb == "press"});
        } else if (verb == "move") {
            sink.on_input(PointerMove{a, b});
        } else if (verb == "rel") {
            sink.on_input(PointerMotion{a, b});
        } else if (verb == "button") {
            sink.on_input(PointerButton{uint16_t(a), b != 0});
        } else if (verb == "wheel") {
            sink.on_input(PointerWheel{0, a});
        } else if (verb == "size") { // size W H WIDTH_MM HEIGHT_MM: as a resize or modeset
            int mm_w = 0, mm_h = 0;
            in >> mm_w >> mm_h;
            sink.on_size_wanted(0, {uint32_t(a), uint32_t(b), uint32_t(mm_w), uint32_t(mm_h)});
        } else if (verb == "quit") {
            sink.on_quit();
        } else if (!verb.empty()) {
            std::fprintf(stderr, "qemu-driver: unknown command %s\n", text.c_str());
        }
    }

    // Compares the buffer's pixels with our copy from its previous frame: changed pixels
    // outside the damage are counted (must be 0).
    void report(const Frame& frame) {
        const Buffer& buffer = *frame.buffer;
        const Layout& l = buffer.layout();
        std::string rects;
        for (const Rect& r : frame.damage.rects())
            rects += (rects.empty() ? "" : ";") + std::to_string(r.x) + "," + std::to_string(r.y) +
                     "," + std::to_string(r.w) + "," + std::to_string(r.h);
        uint64_t outside = 0, changed = 0;
        Rect changed_box, outside_box;
        Result<Mapping> map = buffer.map(PROT_READ);
        if (map) {
            const size_t bytes = size_t(l.stride) * l.height;
            auto it = copies_.find(buffer.id());
            const size_t bpp = l.format->bytes_per_pixel;
            if (it != copies_.end()) {
                const uint8_t* now = map->data() + l.offset;
                const uint8_t* before = it->second.data();
                for (uint32_t y = 0; y < l.height; ++y)
                    for (uint32_t x = 0; x < l.width; ++x) {
                        const size_t at = size_t(y) * l.stride + x * bpp;
                        if (std::memcmp(now + at, before + at, bpp) == 0)
                            continue;
                        ++changed;
                        changed_box = changed_box.bounding({int32_t(x), int32_t(y), 1, 1});
                        if (!frame.damage.contains_point(int32_t(x), int32_t(y))) {
                            ++outside;
                            outside_box = outside_box.bounding({int32_t(x), int32_t(y), 1, 1});
                        }
                    }
            }
            copies_[buffer.id()].assign(map->data() + l.offset, map->data() + l.offset + bytes);
        }
        std::string origin = buffer.origin();
        for (char& c : origin)
            if (c == ' ')
                c = '_';
        std::printf("frame seq=%llu buffer=%llu size=%ux%u format=%s origin=%s damage=%s "
                    "changed=%llu changed_box=%d,%d,%d,%d outside=%llu outside_box=%d,%d,%d,%d "
                    "copied=%llu\n",
                    (unsigned long long)frame.seq, (unsigned long long)buffer.id(), l.width,
                    l.height, std::string(l.format->name).c_str(), origin.c_str(), rects.c_str(),
                    (unsigned long long)changed, changed_box.x, changed_box.y, changed_box.w,
                    changed_box.h, (unsigned long long)outside, outside_box.x, outside_box.y,
                    outside_box.w, outside_box.h, (unsigned long long)frame.source_bytes_copied);
        std::fflush(stdout);
    }

    HeadlessOutput headless_;
    std::map<BufferId, std::vector<uint8_t>> copies_;
    bool stdin_open_ = true;
    std::string line_;
};

// Runs the presenter on source until it ends or a signal comes; 0 on success.
int present(FrameSource& source, const std::string& png, double duration, UniqueFd signals) {
    DriverOutput output(HeadlessOptions{png});
    TimingRecorder timing(source.name(), output.name());
    PresenterOptions po;
    po.duration_ns = uint64_t(duration * 1e9);
    Presenter presenter(source, output, timing, po);
    Result<StopReason> stopped = presenter.run(std::move(signals));
    if (!stopped) {
        std::cerr << "qemu-driver: " << stopped.error().message << "\n";
        return 1;
    }
    return 0;
}

#if UDMAVIEW_HAVE_LIBVIRT
// libvirt:DOMAIN: the same output on the libvirt source; its stats from the counters.
int run_libvirt(const SourceSpec& spec, const std::string& uri, uint32_t console, bool reconnect,
                const std::string& png, double duration, UniqueFd signals) {
    virt::LibvirtOptions options;
    options.domain = spec.domain;
    options.uri = uri;
    options.console = console;
    options.reconnect = reconnect;
    virt::LibvirtSource source(options);
    if (int rc = present(source, png, duration, std::move(signals)); rc != 0)
        return rc;
    std::string line = "stats";
    for (const auto& [key, value] : source.counters())
        line += " " + key + "=" + std::to_string(value);
    std::printf("%s\n", line.c_str());
    return 0;
}
#endif

} // namespace

int main(int argc, char** argv) {
    std::string spec = "qemu", png, uri;
    uint32_t console = 0;
    bool reconnect = false;
    double duration = 0;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        auto next = [&]() -> std::string {
            return i + 1 < argc ? argv[++i] : "";
        };
        if (a == "--source")
            spec = next();
        else if (a == "--console")
            console = uint32_t(std::stoul(next()));
        else if (a == "--reconnect")
            reconnect = true;
        else if (a == "--duration")
            duration = std::stod(next());
        else if (a == "--dump-png")
            png = next();
        else if (a == "--connect")
            uri = next();
        else {
            std::cerr << "qemu-driver: unknown argument " << a << "\n";
            return 2;
        }
    }
    Result<SourceSpec> parsed = parse_source_spec(spec);
#if UDMAVIEW_HAVE_LIBVIRT
    if (parsed && parsed->kind == SourceSpec::Kind::Libvirt) {
        Result<UniqueFd> signals = Presenter::block_signals();
        if (!signals)
            return 1;
        return run_libvirt(*parsed, uri, console, reconnect, png, duration, std::move(*signals));
    }
#endif
    if (!parsed || parsed->kind != SourceSpec::Kind::Qemu) {
        std::cerr << "qemu-driver: "
                  << (parsed ? spec + " is not a qemu source" : parsed.error().message) << "\n";
        return 2;
    }
    qemu::QemuOptions options;
    options.mode = parsed->qemu_p2p ? qemu::QemuOptions::Mode::P2p : qemu::QemuOptions::Mode::Bus;
    options.address = parsed->qemu_address;
    options.console = console;
    options.reconnect = reconnect;
    Result<UniqueFd> signals = Presenter::block_signals();
    if (!signals)
        return 1;
    qemu::QemuSource source(options);
    if (int rc = present(source, png, duration, std::move(*signals)); rc != 0)
        return rc;
    const qemu::QemuStats st = source.stats();
    std::printf("stats scanouts=%llu updates=%llu bytes_copied=%llu rejected=%llu inputs=%llu "
                "sessions=%llu\n",
                (unsigned long long)st.scanouts, (unsigned long long)st.updates,
                (unsigned long long)st.bytes_copied, (unsigned long long)st.rejected,
                (unsigned long long)st.inputs_sent, (unsigned long long)st.sessions);
    // What the timing report's source_counters would say.
    std::string line = "counters";
    for (const auto& [key, value] : source.counters())
        line += " " + key + "=" + std::to_string(value);
    std::printf("%s\n", line.c_str());
    return 0;
}
