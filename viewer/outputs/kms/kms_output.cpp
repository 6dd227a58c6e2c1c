// SPDX-License-Identifier: MIT
#include "outputs/kms/kms_output.h"

#include <array>
#include <cerrno>
#include <cstring>
#include <iostream>
#include <xf86drm.h>

#include "outputs/kms/card_probe.h"
#include "udmaview/clock.h"
#include "udmaview_config.h"

namespace udmaview::kms {

namespace {

std::string errno_name(int err) {
    const char* name = strerrordesc_np(err);
    const char* abbrev = strerrorname_np(err);
    return std::string(abbrev ? abbrev : "?") + ": " + (name ? name : "?");
}

} // namespace

KmsOutput::KmsOutput(KmsOptions options)
    : options_(std::move(options))
    , cpu_({options_.scale, options_.linear, options_.sources})
    , hud_visible_(options_.hud) {
    if (options_.sources > 1)
        chords_.enable_tile_keys();
}

KmsOutput::~KmsOutput() {
    stop();
}

void KmsOutput::announce(const std::string& key, const std::string& message) {
    if (announced_.insert(key).second)
        std::cerr << message << "\n";
}

Status KmsOutput::open_device() {
    Result<OpenedCard> card =
        open_card(options_.device, options_.connector, options_.atomic, mode_request_, opener());
    if (!card)
        return card.error();
    if (Status s = card->dev->acquire_master(); !s)
        return s.error();
    dev_ = std::move(card->dev);
    pipe_ = card->pipe;
    saved_crtc_ = SavedCrtc(*dev_, pipe_.crtc, std::move(card->lit_connectors));
    driver_ = dev_->driver();
    quirks_ = quirks_for(driver_, running_kernel());
    scanout_ = std::make_unique<Scanout>(*dev_, pipe_, quirks_);
    if (Status s = scanout_->committer().ready(); !s)
        return s.error();
    if (options_.verbose)
        std::cerr << "kms: " << dev_->describe() << ", connector " << pipe_.connector.name
                  << ", crtc " << pipe_.crtc.id << ", plane " << pipe_.plane.id << ", "
                  << (dev_->atomic() ? "atomic" : "legacy") << ", damage "
                  << (pipe_.plane.has_damage_clips ? "FB_DAMAGE_CLIPS" : "DirtyFB")
                  << (quirks_.why.empty() ? "" : "; quirk: " + std::string(quirks_.why)) << "\n";
    return {};
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
    if (const PathChoice c = choose_scanout_path(path_inputs()); !c.refusal.empty())
        return Error{c.refusal, ENOTSUP};
    if (Status s = open_seat(); !s)
        return s;
    if (Status s = open_device(); !s) {
        stop();
        return s;
    }
    started_ = true;
    if (Status st = open_console(); !st) {
        stop();
        return st;
    }
    return {};
}

void KmsOutput::stop() {
    if (!dev_) {
        if (vt_)
            vt_->restore();
        vt_.reset();
#if UDMAVIEW_HAVE_LIBSEAT
        seat_.reset();
#endif
        return;
    }
    wait_idle(nullptr, 500);
    // Only DRM master may set the CRTC; when switched away, whoever has the VT owns it.
    if (!vt_active_ || !dev_->is_master())
        saved_crtc_.disarm();
    if (Status s = saved_crtc_.restore(); !s)
        std::cerr << s.error().message << "\n";
    fbs_.clear();
    clear_cpu();
    gl_.reset(); // its scanout buffers and their framebuffers, after the CRTC is restored
    retired_gl_.reset();
    scanout_.reset(); // the flip in flight, retired framebuffers, the mode blob
    last_frame_.reset();
    round_.clear();
    if (vt_)
        vt_->restore(); // after the CRTC is back, so fbcon redraws onto its own framebuffer
    vt_.reset();
    keyboards_ = EvdevKeyboards();
    epoll_.reset();
    saved_crtc_ = SavedCrtc(); // restored or disarmed above
    dev_.reset();              // closing the fd drops DRM master
#if UDMAVIEW_HAVE_LIBSEAT
    seat_.reset(); // the seat manager gives the VT back to the console
#endif
    started_ = false;
    configured_ = {};
    needs_modeset_ = true;
}

void KmsOutput::wait_idle(OutputSink* sink, int timeout_ms) {
    if (scanout_)
        scanout_->wait_idle(flip_done(sink), timeout_ms);
}

Scanout::FlipDone KmsOutput::flip_done(OutputSink* sink) {
    return [this, sink](const Scanout::Flip& flip, uint64_t presented_ns) {
        if (flip.dumb_index >= 0)
            cpu_shown(flip.dumb_index, presented_ns);
        else
            gl_shown(flip.fb_id, presented_ns);
        if (sink)
            flip.report(presented_ns, *sink);
    };
}

constexpr bool have_kms_gl = UDMAVIEW_HAVE_KMS_GL;

PathInputs KmsOutput::path_inputs() const {
    PathInputs in;
    in.asked = options_.path;
    in.sources = options_.sources;
    in.gl_built = have_kms_gl;
    in.gl_refused = gl_refused_;
    in.gl_software = gl_software_;
    in.force_copy = options_.force_copy;
    in.import_refused = import_refused_;
    in.driver = driver_;
    in.plane_id = pipe_.plane.id;
    return in;
}

ScanoutPath KmsOutput::fallback() const {
    return fallback_path(path_inputs());
}

std::string KmsOutput::fallback_note() const {
    return kms::fallback_note(path_inputs());
}

void KmsOutput::choose_path(const Buffer& buffer) {
    const Layout& l = buffer.layout();
    PathInputs in = path_inputs();
    in.placement_refused = no_direct_ == std::array{l.width, l.height, uint32_t(mode_.hdisplay),
                                                    uint32_t(mode_.vdisplay)};
    in.dmabuf = bool(buffer.dmabuf());
    in.plane_format = pipe_.plane.supports(l.format->fourcc);
    in.modifier_ok = l.modifier == modifier_linear || dev_->has_cap(DRM_CAP_ADDFB2_MODIFIERS);
    in.origin = buffer.origin();
    in.format_name = l.format->name;
    const PathChoice choice = choose_scanout_path(in);
    if (!choice.line.empty())
        announce(choice.key, choice.line);
    path_ = choice.path;
}

KmsOutput::Configured KmsOutput::wanted(const Layout& l) const {
    if (options_.sources > 1) // tiles: one configuration for every source's frames
        return {0, 0, nullptr, path_};
    return {l.width, l.height, l.format, path_};
}

Status KmsOutput::configure(const Frame& frame) {
    const Layout& l = frame.buffer->layout();
    const auto [want_w, want_h] = mode_target(
        options_.sources, options_.follow_guest_size && !guest_kept_size_, l.width, l.height);
    Result<drmModeModeInfo> mode = choose_mode(pipe_.connector, mode_request_, want_w, want_h);
    if (!mode)
        return mode.error();
    mode_ = *mode;
    choose_path(*frame.buffer); // after the mode: whether the plane can place it depends on it
    if (Status s = scanout_->committer().set_mode(mode_); !s)
        return s;
    configured_ = wanted(l);
    needs_modeset_ = true;
    cpu_.reset(*scanout_);  // new buffers for the new mode or format
    cursor_changed_ = true; // the new path takes the pointer
    size_wanted_ = true;
    if (options_.hud && path_ == ScanoutPath::Plane)
        announce("hud", "kms: --hud: the plane path scans out the guest's buffer and shows no "
                        "overlay; use --kms-path cpu or gl for it");
    retire_stale_gl();
    if (options_.verbose)
        std::cerr << "kms: source " << l.to_string() << " on mode " << mode_string(mode_) << "\n";
    return {};
}

Status KmsOutput::submit(const Frame& frame, SubmitStats& stats, OutputSink& sink) {
    if (!frame.buffer)
        return Error{"kms: frame " + std::to_string(frame.seq) + " has no buffer", EINVAL};
    if (!dev_)
        return Error{"kms: submit before start", EINVAL};
    last_frame_ = frame;
    Status shown = options_.sources > 1 ? join_round(frame, stats, sink)
                                        : show(frame, Origin::NewFrame, stats, sink);
    if (shown && size_wanted_)
        send_wanted_sizes(sink);
    return shown;
}

Result<bool> KmsOutput::configure_for(const Frame& frame, SubmitStats& stats) {
    if (!vt_active_) { // switched away: the frame is shown when the VT comes back
        stats.path = "vt-inactive";
        return false;
    }
    // A new size or format, or a buffer that needs the other path (a dma-buf appears or goes
    // away): re-layout, without a restart.
    choose_path(*frame.buffer);
    if (!(wanted(frame.buffer->layout()) == configured_))
        if (Status s = configure(frame); !s)
            return s.error();
    return true;
}

Status KmsOutput::show(const Frame& frame, Origin origin, SubmitStats& stats, OutputSink& sink) {
    Result<bool> ready = configure_for(frame, stats);
    if (!ready || !*ready)
        return ready ? Status{} : Status{ready.error()};
    if (configured_.path == ScanoutPath::Plane) {
        if (Status s = show_import(frame, origin, stats, sink); !s)
            return s;
        // The import or its placement was refused: configure() switched to another path.
    }
    if (configured_.path == ScanoutPath::Gl)
        if (Status s = show_gl(frame, origin, stats, sink); !s)
            return s;
    // GBM/EGL could not start: configure() switched to the cpu path.
    if (configured_.path == ScanoutPath::Cpu)
        if (Status s = show_cpu(frame, origin, stats, sink); !s)
            return s;
    if (!needs_modeset_)
        retired_gl_.reset(); // the modeset took its buffers off the screen
    return {};
}

std::vector<uint64_t> KmsOutput::report_seqs(const Frame& frame, Origin origin) {
    return origin == Origin::NewFrame ? std::vector<uint64_t>{frame.seq} : std::vector<uint64_t>{};
}

void KmsOutput::presented(const Frame& frame, Origin origin, OutputSink& sink) const {
    Flip{report_seqs(frame, origin)}.report(now_ns(), sink);
}

std::optional<Placement> KmsOutput::test_placement(uint32_t fb_id, const Layout& l) {
    auto fits = [&](const Placement& p) {
        const PlaneState state{.fb_id = fb_id, .placement = p, .damage = {}, .modeset = true};
        return bool(scanout_->committer().apply(state, ApplyMode::TestOnly));
    };
    const Placement wanted =
        place(l.width, l.height, mode_.hdisplay, mode_.vdisplay, options_.scale);
    // The legacy API cannot scale. Where the plane cannot place the picture as asked, the gl
    // or the cpu path composes it so.
    if (!dev_->atomic() && wanted.scaled())
        return std::nullopt;
    return fits(wanted) ? std::optional(wanted) : std::nullopt;
}

Status KmsOutput::show_import(const Frame& frame, Origin origin, SubmitStats& stats,
                              OutputSink& sink) {
    const Layout& l = frame.buffer->layout();
    stats.path = "import";
    auto refuse = [&](const Error& e) -> Status {
        import_refused_ = e.message;
        announce("import", "kms: " + driver_ + " cannot import dma-bufs (" + errno_name(e.errnum) +
                               ")" + fallback_note());
        return configure(frame);
    };
    bool imported = false;
    Result<uint32_t> fb = fbs_.get(*dev_, *frame.buffer, imported);
    if (!fb)
        return refuse(fb.error());
    if (imported) {
        ++stats.imports;
        ++total_imports_;
    }
    stats.imported_ns = now_ns();
    if (needs_modeset_) {
        const std::optional<Placement> p = test_placement(*fb, l);
        if (!p) {
            no_direct_ = {l.width, l.height, mode_.hdisplay, mode_.vdisplay};
            announce("placement-" + std::to_string(l.width) + "x" + std::to_string(l.height),
                     "kms: plane " + std::to_string(pipe_.plane.id) + " of " + driver_ +
                         " cannot show a " + std::to_string(l.width) + "x" +
                         std::to_string(l.height) + " picture on " + mode_string(mode_) +
                         " as asked" + fallback_note());
            return configure(frame);
        }
        placement_ = *p;
        stats.submitted_ns = now_ns();
        if (Status s = scanout_->modeset(*fb, *p); !s)
            return refuse(s.error());
        needs_modeset_ = false;
        last_clips_ = Region();
        presented(frame, origin, sink);
        return {};
    }
    const Region clips = damage_clips(frame.damage, l.width, l.height, l.stride, quirks_);
    stats.submitted_ns = now_ns();
    const Scanout::Flip flip{report_seqs(frame, origin), 0, -1};
    if (*fb != scanout_->on_screen()) {
        last_clips_ = pipe_.plane.has_damage_clips ? clips : Region();
        return scanout_->flip(*fb, placement_, clips, flip);
    }
    last_clips_ = clips;
    if (clips.empty()) {
        presented(frame, origin, sink);
        return {};
    }
    if (scanout_->committer().damage_in_commit())
        return scanout_->flip(*fb, placement_, clips, flip);
    if (Status s = scanout_->committer().dirty(*fb, clips); !s)
        return s;
    presented(frame, origin, sink); // DirtyFB returns when the update is done
    return {};
}

std::vector<std::pair<std::string, uint64_t>> KmsOutput::counters() const {
    std::vector<std::pair<std::string, uint64_t>> all{{"switch_redraws", switch_redraws_},
                                                      {"mode_width", mode_.hdisplay},
                                                      {"mode_height", mode_.vdisplay},
                                                      {"guest_kept_size", guest_kept_size_}};
    for (auto& c : cpu_counters())
        all.push_back(std::move(c));
    for (auto& c : gl_counters())
        all.push_back(std::move(c));
    return all;
}

void KmsOutput::retire(BufferId id) {
    cpu_.forget(id);
    gl_retire(id);
    Framebuffer fb = fbs_.take(id);
    if (fb && scanout_)
        scanout_->retire(std::move(fb));
}

} // namespace udmaview::kms
