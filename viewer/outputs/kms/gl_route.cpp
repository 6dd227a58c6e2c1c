// SPDX-License-Identifier: MIT
// The gl route: GLES composes the source's buffer (or the sources' tiles) into GBM scanout
// buffers of the mode's size (scaled and filtered as asked), and the display flips between
// them with the frame's screen damage as the clips. The dma-buf import is used only where a
// helper process proved it (gl_import_probe.h); otherwise only damaged rectangles are
// uploaded. Refused where GBM/EGL cannot start, or (under auto) run a CPU rasterizer.
#include <cerrno>
#include <iostream>

#include "outputs/kms/gl_composer.h"
#include "outputs/kms/gl_import_probe.h"
#include "outputs/kms/scanout_route.h"
#include "render/rasterizer.h"
#include "udmaview/clock.h"

namespace udmaview::kms {

namespace {

// The probe runs in the background (frames are uploaded meanwhile): generous, as LLVM
// compiles the probe's shaders slowly on an emulated CPU.
constexpr int import_probe_timeout_ms = 60000;

class GlRoute : public ScanoutRoute {
public:
    GlRoute(RouteContext ctx, bool hud)
        : ctx_(std::move(ctx))
        , hud_visible_(hud) {}
    ScanoutPath path() const override { return ScanoutPath::Gl; }

    void reset(KmsDisplay& display, bool current) override {
        if (gl_ && (!current || gl_->size() != display.screen()))
            retired_ = std::move(gl_); // on screen until the next modeset
    }
    void modeset_done() override { retired_.reset(); }

    Result<bool> update(KmsDisplay& display, const Frame& frame, SubmitStats& stats) override {
        Result<bool> ready = start(display, frame);
        if (!ready || !*ready)
            return ready;
        poll_import(display);
        if (cursor_due_) {
            if (Status s = gl_->set_cursor(cursor_); !s)
                return s.error();
            cursor_due_ = false;
        }
        if (Status s = gl_->update(frame, stats); !s)
            return s.error();
        width_ = frame.buffer->layout().width;
        height_ = frame.buffer->layout().height;
        return true;
    }

    Result<bool> prepare(KmsDisplay& display, const std::vector<PendingFrame>& frames,
                         Shown& shown) override {
        if (!gl_)
            return false;
        Result<GlComposer::Composed> c = gl_->compose(display.needs_modeset());
        if (!c)
            return c.error();
        for (const PendingFrame& f : frames)
            gl_->hud_frame(f);
        const drmModeModeInfo& m = display.mode();
        shown.fb_id = c->fb_id;
        shown.placement = Placement{display.screen(), display.screen()};
        shown.picture = place(width_, height_, m.hdisplay, m.vdisplay, ctx_.options.scale);
        shown.clips = c->whole || !c->fb_id ? Region()
                                            : damage_clips(c->damage, m.hdisplay, m.vdisplay,
                                                           c->pitch, display.quirks());
        shown.flip = Flip{round_seqs(frames), c->fb_id, -1};
        return true;
    }

    bool dropped(const KmsDisplay&, const Shown& shown, const Error&) override {
        if (gl_)
            gl_->dropped(shown.fb_id);
        return false;
    }
    void shown(const Flip& flip, uint64_t presented_ns) override {
        if (gl_)
            gl_->shown(flip.fb_id, presented_ns);
    }
    void retire(KmsDisplay&, BufferId id) override {
        if (gl_)
            gl_->retire(id);
    }
    void clear() override {
        gl_.reset(); // its scanout buffers and their framebuffers, after the CRTC is restored
        retired_.reset();
    }

    void set_cursor(const CursorState& cursor) override {
        cursor_ = cursor;
        cursor_due_ = true;
    }
    Status toggle_hud() override {
        if (!gl_)
            return Error{"kms: Ctrl+Alt+H: the plane path scans out the guest's buffer and "
                         "shows no overlay; use --kms-path cpu or gl for it",
                         ENOTSUP};
        if (Status s = gl_->toggle_hud(); !s)
            return s;
        hud_visible_ = gl_->hud_visible();
        return {};
    }
    bool hud_visible() const override { return hud_visible_; }
    std::optional<TileState> tiles() const override {
        const TileCompositor* t = gl_ ? gl_->tiles() : nullptr;
        if (!t)
            return std::nullopt;
        return TileState{t->mode(), t->focus()};
    }
    bool tile_key(KeyAction action, bool verbose) override {
        TileCompositor* t = gl_ ? gl_->tiles() : nullptr;
        if (!t)
            return false;
        if (action == KeyAction::ToggleTiles)
            t->toggle_mode();
        else
            t->move_focus(action == KeyAction::FocusPrev ? -1 : 1);
        if (verbose)
            std::cerr << "kms: source " << t->focus() + 1 << " focused, "
                      << (t->mode() == TileMode::Grid ? "grid" : "alone") << "\n";
        return true;
    }
    void source_ended(uint32_t source) override {
        if (gl_ && gl_->tiles())
            gl_->tiles()->set_ended(source);
    }
    std::vector<std::pair<std::string, uint64_t>> counters() const override {
        std::vector<std::pair<std::string, uint64_t>> all;
        if (import_usable_) { // the probe's verdict, when it came during the run
            all.emplace_back("gl_import_probe_usable", *import_usable_ ? 1 : 0);
            all.emplace_back("gl_import_probe_signal", uint64_t(import_signal_));
        }
        if (gl_)
            for (auto& c : gl_->hud_counters())
                all.push_back(std::move(c));
        return all;
    }

private:
    // Starts GBM and EGL on first use. False: they cannot start here or run a CPU
    // rasterizer auto does not use (the facts say which), choose again.
    Result<bool> start(KmsDisplay& display, const Frame& frame) {
        if (gl_)
            return true;
        const KmsOptions& o = ctx_.options;
        const RendererOptions ro{.scale = o.scale,
                                 .linear = o.linear,
                                 .allow_import = import_usable_.value_or(false),
                                 .verbose = o.verbose};
        const drmModeModeInfo& m = display.mode();
        Result<std::unique_ptr<GlComposer>> gl = GlComposer::create(
            display.device(), m.hdisplay, m.vdisplay, ro, hud_visible_, o.sources);
        if (!gl && o.path == KmsPath::Gl)
            return gl.error();
        if (!gl)
            ctx_.facts.gl_refused = gl.error().message;
        else if (o.path == KmsPath::Auto && is_software_rasterizer((*gl)->gl_renderer()))
            ctx_.facts.gl_software = (*gl)->gl_renderer(); // it would redraw the whole screen
        else
            gl_ = std::move(*gl);
        if (!gl_) {
            ctx_.announcer.say("gl", auto_cpu_line(ctx_.facts.gl_software, ctx_.facts.gl_refused));
            return false;
        }
        cursor_due_ = true; // a new composer draws the pointer too
        // The probe runs in a helper process; frames are uploaded until its verdict.
        if (frame.buffer->dmabuf())
            start_gl_import_probe(display.device().path(), import_probe_timeout_ms);
        if (o.verbose)
            std::cerr << "kms: gl path: " << gl_->describe() << "\n";
        return true;
    }

    // Takes the import probe's verdict once it is there (one line when the import is off).
    void poll_import(const KmsDisplay& display) {
        if (import_usable_)
            return;
        const std::optional<GlImportVerdict> v = gl_import_verdict(display.device().path());
        if (!v)
            return;
        import_usable_ = v->usable;
        import_signal_ = v->signal;
        if (v->usable) {
            gl_->enable_import();
            if (ctx_.options.verbose)
                std::cerr << "kms: the GL import of dma-bufs works on " << display.driver()
                          << "; importing from the next frame on\n";
        } else {
            ctx_.announcer.say("gl-import", "kms: GLES on " + display.driver() +
                                                " cannot use imported dma-bufs (" + v->reason +
                                                "); uploading damaged rectangles instead");
        }
    }

    RouteContext ctx_;
    std::unique_ptr<GlComposer> gl_;
    std::unique_ptr<GlComposer> retired_; // the previous mode's, on screen until a modeset
    bool hud_visible_ = false;            // kept when the composer restarts
    CursorState cursor_;                  // the guest pointer
    bool cursor_due_ = false;             // not yet handed to the composer
    uint32_t width_ = 0, height_ = 0;     // the last frame's picture
    std::optional<bool> import_usable_;   // the import probe's verdict, once per output
    int import_signal_ = 0;               // the signal that ended the probe, for the report
};

} // namespace

std::unique_ptr<ScanoutRoute> make_gl_route(RouteContext ctx, bool hud) {
    return std::make_unique<GlRoute>(std::move(ctx), hud);
}

} // namespace udmaview::kms
