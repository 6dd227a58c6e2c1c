// SPDX-License-Identifier: MIT
// KmsOutput's cpu path: pixman draws the scene (pixman_dumb_path.h) – one picture or tiles,
// the --hud overlay and the guest pointer – into dumb buffers, and the output flips between
// them. Each frame is drawn into the back buffer when it is submitted, so its cost is counted
// with it; with several sources flush() then flips once for the presenter's whole round.
#include <iostream>

#include "outputs/kms/kms_output.h"
#include "udmaview/clock.h"

namespace udmaview::kms {

void KmsOutput::take_overlays() {
    if (cursor_changed_) {
        cpu_.scene().set_pointer(cursor_);
        cursor_changed_ = false;
    }
    if (hud_visible_ && !cpu_hud_)
        cpu_hud_ = std::make_unique<SceneHud>(cpu_.scene(), true);
}

Status KmsOutput::draw_cpu(const Frame& frame, SubmitStats& stats) {
    stats.path = "dumb-copy";
    if (Status s = cpu_.update(dumb_target(), frame, stats); !s)
        return s;
    take_overlays();
    if (Status s = cpu_.draw(needs_modeset_, stats); !s)
        return s;
    stats.submitted_ns = now_ns();
    return {};
}

Status KmsOutput::present_cpu(std::vector<RoundFrame> frames, OutputSink& sink) {
    std::vector<uint64_t> seqs;
    for (const RoundFrame& f : frames)
        seqs.push_back(f.seq);
    const bool modeset = needs_modeset_;
    Result<bool> flipped = cpu_.present(dumb_target(), modeset, seqs, *scanout_, last_clips_);
    if (!flipped)
        return flipped.error();
    cpu_hud_frames_ = std::move(frames);
    if (modeset) {
        placement_ = cpu_.placement();
        needs_modeset_ = false;
    }
    if (modeset || !*flipped) { // a modeset blocks; nothing changed: nothing to wait for
        Flip{std::move(seqs)}.report(now_ns(), sink);
        cpu_shown(-1, now_ns());
    }
    return {};
}

Status KmsOutput::show_cpu(const Frame& frame, Origin origin, SubmitStats& stats,
                           OutputSink& sink) {
    if (Status s = draw_cpu(frame, stats); !s)
        return s;
    std::vector<RoundFrame> frames;
    if (origin == Origin::NewFrame)
        frames.push_back({frame.seq, frame.produced_ns, stats});
    return present_cpu(std::move(frames), sink);
}

void KmsOutput::cpu_shown(int index, uint64_t presented_ns) {
    if (index >= 0)
        cpu_.shown(index);
    if (!cpu_hud_) {
        cpu_hud_frames_.clear();
        return;
    }
    for (const RoundFrame& f : cpu_hud_frames_)
        cpu_hud_->record(f.produced_ns, presented_ns, f.stats.bytes_copied, f.stats.imports,
                         f.stats.path);
    cpu_hud_frames_.clear();
    cpu_hud_->presented();
    // After the flip is reported: the overlay's new image goes out with the next frame.
    cpu_hud_->refresh(now_ns());
}

void KmsOutput::toggle_cpu_hud() {
    if (!cpu_hud_)
        cpu_hud_ = std::make_unique<SceneHud>(cpu_.scene(), true);
    else
        cpu_hud_->toggle();
    hud_visible_ = cpu_hud_->shown();
}

void KmsOutput::clear_cpu() {
    cpu_.clear(); // the scene forgets the overlay's image before the overlay goes
    cpu_hud_.reset();
    cpu_hud_frames_.clear();
}

std::vector<std::pair<std::string, uint64_t>> KmsOutput::cpu_counters() const {
    std::vector<std::pair<std::string, uint64_t>> all = cpu_.counters();
    if (cpu_hud_)
        for (auto& c : cpu_hud_->counters())
            all.push_back(std::move(c));
    return all;
}

} // namespace udmaview::kms
