// SPDX-License-Identifier: MIT
#include "outputs/kms/kms_output.h"

#include <cerrno>
#include <iostream>
#include <xf86drm.h>

#include "udmaview/clock.h"

namespace udmaview::kms {

void Announcer::say(const std::string& key, const std::string& line) {
    if (said_.insert(key).second)
        std::cerr << line << "\n";
}

std::vector<uint64_t> round_seqs(const std::vector<PendingFrame>& frames) {
    std::vector<uint64_t> seqs;
    for (const PendingFrame& f : frames)
        seqs.push_back(f.seq);
    return seqs;
}

KmsOutput::KmsOutput(KmsOptions options)
    : options_(std::move(options))
    , console_({.console = options_.console,
                .keyboard = options_.keyboard,
                .take_over = options_.take_over,
                .tile_keys = options_.sources > 1,
                .verbose = options_.verbose})
    , routes_(options_) {}

KmsOutput::~KmsOutput() {
    stop();
}

Status KmsOutput::start() {
    if (started_)
        return {};
    if (!options_.mode.empty()) {
        Result<ModeRequest> m = parse_mode(options_.mode);
        if (!m)
            return m.error();
        mode_request_ = *m;
    }
    // What no frame can change: several sources or --kms-path gl in a build without GL.
    if (const std::string refusal = routes_.refusal(); !refusal.empty())
        return Error{refusal, ENOTSUP};
    if (Status s = console_.open_seat(); !s)
        return s;
    Result<std::unique_ptr<KmsDisplay>> display =
        KmsDisplay::open(options_, mode_request_, console_.opener());
    if (!display) {
        stop();
        return display.error();
    }
    display_ = std::move(*display);
    driver_ = display_->driver();
    started_ = true;
    if (Status st = console_.open(display_->device().fd(), display_->device().describe()); !st) {
        stop();
        return st;
    }
    return {};
}

void KmsOutput::stop() {
    if (!display_) {
        console_.restore_vt();
        console_.close_seat();
        return;
    }
    wait_idle(nullptr, 500);
    display_->restore(console_.active());
    // The routes' buffers and framebuffers, after the CRTC is restored.
    routes_.clear();
    display_->end();
    round_.clear();
    console_.restore_vt(); // after the CRTC is back, so fbcon redraws onto its own framebuffer
    display_.reset();      // closing the fd drops DRM master
    console_.close_seat(); // the seat manager gives the VT back to the console
    started_ = false;
    configured_ = {};
}

void KmsOutput::wait_idle(OutputSink* sink, int timeout_ms) {
    if (display_)
        display_->scanout().wait_idle(flip_done(sink), timeout_ms);
}

Scanout::FlipDone KmsOutput::flip_done(OutputSink* sink) {
    return [this, sink](const Flip& flip, uint64_t presented_ns) {
        routes_.shown(flip, presented_ns);
        if (sink)
            flip.report(presented_ns, *sink);
    };
}

std::vector<std::pair<std::string, uint64_t>> KmsOutput::counters() const {
    const drmModeModeInfo mode = display_ ? display_->mode() : drmModeModeInfo{};
    std::vector<std::pair<std::string, uint64_t>> all{{"switch_redraws", switch_redraws_},
                                                      {"mode_width", mode.hdisplay},
                                                      {"mode_height", mode.vdisplay},
                                                      {"guest_kept_size", guest_kept_size_}};
    for (auto& c : routes_.counters())
        all.push_back(std::move(c));
    return all;
}

void KmsOutput::retire(BufferId id) {
    if (!display_)
        return;
    routes_.retire(*display_, id);
}

void KmsOutput::set_cursor(const CursorState& cursor) {
    cursor_changed_ = true;
    routes_.set_cursor(cursor);
}

uint32_t KmsOutput::input_source() const {
    const ScanoutRoute* r = routes_.current();
    const std::optional<TileState> t = r ? r->tiles() : std::nullopt;
    return t ? t->focus : 0;
}

void KmsOutput::source_ended(uint32_t source) {
    routes_.source_ended(source);
}

} // namespace udmaview::kms
