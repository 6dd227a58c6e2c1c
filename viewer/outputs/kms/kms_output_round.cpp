// SPDX-License-Identifier: MIT
// KmsOutput with several sources: one picture and one page flip per round of the presenter
// (at most one frame of each source). submit() only brings the frame's tile up to date (the
// cpu path draws its change into the back buffer, the gl path updates its texture); flush()
// shows the round with one flip, and the flip event reports all frames of the round
// presented at its time. Flipping per frame instead would give each of N busy sources 1/N
// of the refresh rate and N frames of latency.
#include <cerrno>

#include "outputs/kms/kms_output.h"
#include "udmaview_config.h"

#if UDMAVIEW_HAVE_KMS_GL
#include "outputs/kms/gl_composer.h"
#endif

namespace udmaview::kms {

Status KmsOutput::join_round(const Frame& frame, SubmitStats& stats, OutputSink& sink) {
    // Switched away, the redraw shows the last frame when the VT comes back.
    Result<bool> ready = configure_for(frame, stats);
    if (!ready || !*ready)
        return ready ? Status{} : Status{ready.error()};
    if (configured_.path == ScanoutPath::Plane) // a plane shows one buffer: frame by frame
        return show(frame, Origin::NewFrame, stats, sink);
    if (configured_.path == ScanoutPath::Gl)
        if (Status s = join_gl_round(frame, stats); !s)
            return s;
    // GBM/EGL could not start or run a CPU rasterizer: configure() switched to the cpu path.
    if (configured_.path == ScanoutPath::Cpu) {
        if (Status s = draw_cpu(frame, stats); !s)
            return s;
        round_.push_back({frame.seq, frame.produced_ns, stats});
    }
    return {};
}

void KmsOutput::flush(OutputSink& sink) {
    if (round_.empty())
        return;
    if (Status s = show_round(sink); !s)
        sink.on_output_error(s.error());
    round_.clear();
}

Status KmsOutput::show_round(OutputSink& sink) {
    if (!console_.active() || !last_frame_ || !last_frame_->buffer)
        return {};
    if (configured_.path == ScanoutPath::Cpu)
        return present_cpu(std::move(round_), sink);
    return show_gl_round(sink);
}

#if UDMAVIEW_HAVE_KMS_GL

Status KmsOutput::join_gl_round(const Frame& frame, SubmitStats& stats) {
    if (Status s = prepare_gl(frame); !s || !gl_)
        return s;
    if (Status s = gl_->update(frame, stats); !s)
        return s;
    round_.push_back({frame.seq, frame.produced_ns, stats});
    return {};
}

Status KmsOutput::show_gl_round(OutputSink& sink) {
    if (!gl_)
        return {};
    Result<GlComposer::Composed> c = gl_->compose(needs_modeset_);
    if (!c)
        return c.error();
    std::vector<uint64_t> seqs;
    for (const RoundFrame& f : round_) {
        gl_->hud_frame(f.produced_ns, f.stats);
        seqs.push_back(f.seq);
    }
    if (Status s = present_gl(*c, last_frame_->buffer->layout(), std::move(seqs), sink); !s)
        return s;
    if (!needs_modeset_)
        retired_gl_.reset(); // the modeset took its buffers off the screen
    return {};
}

#else // without GBM/EGL the path choice never takes the gl path

Status KmsOutput::join_gl_round(const Frame&, SubmitStats&) {
    return Error{"kms: this udmaview was built without GBM/EGL; use --kms-path cpu", ENOTSUP};
}

Status KmsOutput::show_gl_round(OutputSink&) {
    return {};
}

#endif

} // namespace udmaview::kms
