// SPDX-License-Identifier: MIT
// KmsOutput's gl path: GLES composes the source's buffer into GBM scanout buffers of the
// mode's size (scaled and filtered as asked), and the output flips between them with this
// frame's screen damage as the clips. The dma-buf import is used only where a helper process
// proved it (gl_import_probe.h); otherwise only damaged rectangles are uploaded.
#include <cerrno>
#include <iostream>

#include "outputs/kms/kms_output.h"
#include "udmaview/clock.h"
#include "udmaview_config.h"

#if UDMAVIEW_HAVE_KMS_GL
#include "outputs/kms/gl_composer.h"
#include "outputs/kms/gl_import_probe.h"
#include "render/rasterizer.h"
#endif

namespace udmaview::kms {

#if UDMAVIEW_HAVE_KMS_GL

namespace {

// The probe runs in the background (frames are uploaded meanwhile): generous, as LLVM
// compiles the probe's shaders slowly on an emulated CPU.
constexpr int import_probe_timeout_ms = 60000;

} // namespace

void GlComposerDeleter::operator()(GlComposer* composer) const {
    delete composer;
}

void KmsOutput::retire_stale_gl() {
    if (!gl_)
        return;
    const Rect screen{0, 0, int32_t(mode_.hdisplay), int32_t(mode_.vdisplay)};
    if (path_ != ScanoutPath::Gl || gl_->size() != screen)
        retired_gl_ = std::move(gl_);
}

void KmsOutput::gl_shown(uint32_t fb_id, uint64_t presented_ns) {
    if (gl_)
        gl_->shown(fb_id, presented_ns);
}

Status KmsOutput::toggle_gl_hud() {
    if (!gl_ || configured_.path != ScanoutPath::Gl)
        return Error{"kms: Ctrl+Alt+H: the plane path scans out the guest's buffer and shows no "
                     "overlay; use --kms-path cpu or gl for it",
                     ENOTSUP};
    if (Status s = gl_->toggle_hud(); !s)
        return s;
    hud_visible_ = gl_->hud_visible();
    return {};
}

std::vector<std::pair<std::string, uint64_t>> KmsOutput::gl_counters() const {
    std::vector<std::pair<std::string, uint64_t>> all;
    if (gl_import_usable_) { // the probe's verdict, when it came during the run
        all.emplace_back("gl_import_probe_usable", *gl_import_usable_ ? 1 : 0);
        all.emplace_back("gl_import_probe_signal", uint64_t(gl_import_signal_));
    }
    if (gl_)
        for (auto& c : gl_->hud_counters())
            all.push_back(std::move(c));
    return all;
}

void KmsOutput::gl_retire(BufferId id) {
    if (gl_)
        gl_->retire(id);
}

void KmsOutput::poll_gl_import() {
    if (gl_import_usable_)
        return;
    const std::optional<GlImportVerdict> v = gl_import_verdict(dev_->path());
    if (!v)
        return;
    gl_import_usable_ = v->usable;
    gl_import_signal_ = v->signal;
    if (v->usable) {
        gl_->enable_import();
        if (options_.verbose)
            std::cerr << "kms: the GL import of dma-bufs works on " << driver_
                      << "; importing from the next frame on\n";
    } else {
        announce("gl-import", "kms: GLES on " + driver_ + " cannot use imported dma-bufs (" +
                                  v->reason + "); uploading damaged rectangles instead");
    }
}

Status KmsOutput::start_gl(const Frame& frame) {
    const RendererOptions ro{.scale = options_.scale,
                             .linear = options_.linear,
                             .allow_import = gl_import_usable_.value_or(false),
                             .verbose = options_.verbose};
    Result<std::unique_ptr<GlComposer>> gl = GlComposer::create(
        *dev_, mode_.hdisplay, mode_.vdisplay, ro, hud_visible_, options_.sources);
    if (!gl)
        return gl.error();
    if (options_.path == KmsPath::Auto && is_software_rasterizer((*gl)->gl_renderer())) {
        gl_software_ = (*gl)->gl_renderer(); // it would redraw the whole screen on the CPU
        return {};
    }
    gl_.reset(gl->release());
    // The probe runs in a helper process; frames are uploaded until its verdict.
    if (frame.buffer->dmabuf())
        start_gl_import_probe(dev_->path(), import_probe_timeout_ms);
    if (options_.verbose)
        std::cerr << "kms: gl path: " << gl_->describe() << "\n";
    return {};
}

Status KmsOutput::prepare_gl(const Frame& frame) {
    const bool gl_fresh = !gl_;
    if (!gl_) {
        Status s = start_gl(frame);
        if (!s && options_.path == KmsPath::Gl)
            return Error{s.error().message, s.error().errnum};
        if (!s)
            gl_refused_ = s.error().message;
        if (!gl_) {
            announce("gl", auto_cpu_line(gl_software_, gl_refused_));
            return configure(frame);
        }
    }
    poll_gl_import();
    if (cursor_changed_ || gl_fresh) {
        if (Status s = gl_->set_cursor(cursor_); !s)
            return s;
        cursor_changed_ = false;
    }
    return {};
}

Status KmsOutput::show_gl(const Frame& frame, Origin origin, SubmitStats& stats, OutputSink& sink) {
    if (Status s = prepare_gl(frame); !s || !gl_)
        return s;
    Result<GlComposer::Composed> c = gl_->compose(frame, needs_modeset_, stats);
    if (!c)
        return c.error();
    if (origin == Origin::NewFrame)
        gl_->hud_frame(frame.produced_ns, stats);
    stats.submitted_ns = now_ns();
    return present_gl(*c, frame.buffer->layout(), report_seqs(frame, origin), sink);
}

Status KmsOutput::present_gl(const ComposedFrame& c, const Layout& l, std::vector<uint64_t> seqs,
                             OutputSink& sink) {
    placement_ = place(l.width, l.height, mode_.hdisplay, mode_.vdisplay, options_.scale);
    const Rect screen{0, 0, int32_t(mode_.hdisplay), int32_t(mode_.vdisplay)};
    const Placement full{screen, screen};
    if (needs_modeset_) {
        if (Status s = scanout_->modeset(c.fb_id, full); !s) {
            gl_->dropped(c.fb_id);
            return s;
        }
        gl_->shown(c.fb_id, now_ns());
        needs_modeset_ = false;
        last_clips_ = Region();
        Flip{std::move(seqs)}.report(now_ns(), sink);
        return {};
    }
    if (!c.fb_id) { // nothing on screen changed
        last_clips_ = Region();
        Flip{std::move(seqs)}.report(now_ns(), sink);
        return {};
    }
    const Region clips =
        c.whole ? Region()
                : damage_clips(c.damage, mode_.hdisplay, mode_.vdisplay, c.pitch, quirks_);
    last_clips_ = pipe_.plane.has_damage_clips ? clips : Region();
    Status s = scanout_->flip(c.fb_id, full, clips, Scanout::Flip{std::move(seqs)});
    if (!s)
        gl_->dropped(c.fb_id);
    return s;
}

#else // built without GBM: the gl path does not exist

void GlComposerDeleter::operator()(GlComposer*) const {}

void KmsOutput::retire_stale_gl() {}
void KmsOutput::poll_gl_import() {}
void KmsOutput::gl_shown(uint32_t, uint64_t) {}

Status KmsOutput::toggle_gl_hud() {
    return Error{"kms: Ctrl+Alt+H: the plane path scans out the guest's buffer and shows no "
                 "overlay; use --kms-path cpu for it",
                 ENOTSUP};
}

std::vector<std::pair<std::string, uint64_t>> KmsOutput::gl_counters() const {
    return {};
}
void KmsOutput::gl_retire(BufferId) {}

Status KmsOutput::start_gl(const Frame&) { // start() refused every choice that needs GL
    return Error{"kms: this udmaview was built without GBM/EGL; use --kms-path cpu", ENOTSUP};
}

Status KmsOutput::show_gl(const Frame& frame, Origin, SubmitStats&, OutputSink&) {
    return start_gl(frame);
}

#endif

} // namespace udmaview::kms
