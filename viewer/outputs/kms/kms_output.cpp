// SPDX-License-Identifier: MIT
#include "outputs/kms/kms_output.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <xf86drm.h>

#include "udmaview/clock.h"
#include "udmaview/dma_buf.h"

namespace udmaview::kms {

namespace {

constexpr uint32_t xrgb8888 = make_fourcc('X', 'R', '2', '4');

bool env_set(const char* name) {
    const char* v = std::getenv(name);
    return v && *v && std::strcmp(v, "0") != 0;
}

// An atomic request, freed once.
class AtomicRequest {
public:
    AtomicRequest()
        : req_(drmModeAtomicAlloc()) {}
    ~AtomicRequest() {
        if (req_)
            drmModeAtomicFree(req_);
    }
    AtomicRequest(const AtomicRequest&) = delete;
    AtomicRequest& operator=(const AtomicRequest&) = delete;
    drmModeAtomicReqPtr get() const { return req_; }
    void add(uint32_t object, uint32_t prop, uint64_t value) {
        if (prop)
            drmModeAtomicAddProperty(req_, object, prop, value);
    }

private:
    drmModeAtomicReqPtr req_;
};

std::string errno_name(int err) {
    const char* name = strerrordesc_np(err);
    const char* abbrev = strerrorname_np(err);
    return std::string(abbrev ? abbrev : "?") + ": " + (name ? name : "?");
}

Error with_context(const Error& e, const std::string& prefix) {
    return Error{prefix + e.message, e.errnum};
}

} // namespace

KmsOptions kms_options_from_env(KmsOptions options) {
    if (env_set("UDMAVIEW_KMS_LEGACY"))
        options.atomic = false;
    if (env_set("UDMAVIEW_KMS_COPY"))
        options.force_copy = true;
    return options;
}

KmsOutput::KmsOutput(KmsOptions options)
    : options_(std::move(options)) {}

KmsOutput::~KmsOutput() {
    stop();
}

void KmsOutput::announce(const std::string& key, const std::string& message) {
    if (announced_.insert(key).second)
        std::cerr << message << "\n";
}

Status KmsOutput::open_device() {
    std::vector<std::string> paths =
        options_.device.empty() ? card_paths() : std::vector<std::string>{options_.device};
    if (paths.empty())
        return Error{"kms: no DRM device in /dev/dri: load the display driver (or pass "
                     "--device); this machine may have no display",
                     ENODEV};
    std::string reasons;
    for (const std::string& path : paths) {
        Result<DrmDevice> dev = DrmDevice::open(path);
        Result<CardResources> res = Error{};
        Result<Pipeline> pipe = Error{};
        if (dev) {
            dev->enable_atomic(options_.atomic);
            res = CardResources::read(*dev);
            if (res)
                pipe = choose_pipeline(*dev, *res, options_.connector);
        }
        const Error* failed = !dev    ? &dev.error()
                              : !res  ? &res.error()
                              : !pipe ? &pipe.error()
                                      : nullptr;
        if (failed) {
            if (!options_.device.empty())
                return *failed;
            reasons += "\n  " + failed->message;
            continue;
        }
        if (mode_request_)
            if (Result<drmModeModeInfo> m = choose_mode(pipe->connector, mode_request_); !m)
                return with_context(m.error(), "");
        if (Status s = dev->acquire_master(); !s)
            return s.error();
        pipe_ = *pipe;
        std::vector<uint32_t> lit;
        for (const ConnectorInfo& c : res->connectors)
            if (c.current_crtc == pipe_.crtc.id)
                lit.push_back(c.id);
        saved_crtc_ = SavedCrtc(dev->fd(), pipe_.crtc, std::move(lit));
        dev_ = std::move(*dev);
        driver_ = dev_->driver();
        quirks_ = quirks_for(driver_);
        conn_props_ =
            ObjectProperties::read(dev_->fd(), pipe_.connector.id, DRM_MODE_OBJECT_CONNECTOR);
        crtc_props_ = ObjectProperties::read(dev_->fd(), pipe_.crtc.id, DRM_MODE_OBJECT_CRTC);
        plane_props_ = ObjectProperties::read(dev_->fd(), pipe_.plane.id, DRM_MODE_OBJECT_PLANE);
        if (options_.verbose)
            std::cerr << "kms: " << dev_->describe() << ", connector " << pipe_.connector.name
                      << ", crtc " << pipe_.crtc.id << ", plane " << pipe_.plane.id << ", "
                      << (dev_->atomic() ? "atomic" : "legacy") << ", damage "
                      << (pipe_.plane.has_damage_clips ? "FB_DAMAGE_CLIPS" : "DirtyFB")
                      << (quirks_.why.empty() ? "" : "; quirk: " + std::string(quirks_.why))
                      << "\n";
        return {};
    }
    return Error{"kms: no DRM device with a connected connector:" + reasons, ENODEV};
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
    if (Status s = open_device(); !s) {
        stop();
        return s;
    }
    started_ = true;
    if (options_.console) {
        std::string note;
        Result<std::unique_ptr<VtConsole>> vt = VtConsole::take(note);
        if (!vt) {
            stop();
            return vt.error();
        }
        vt_ = std::move(*vt);
        if (!note.empty())
            std::cerr << note << "\n";
    }
    if (options_.keyboard) {
        keyboards_ = EvdevKeyboards::open_all();
        if (keyboards_.empty())
            std::cerr << "kms: no keyboard in /dev/input (or no permission): keys are not "
                         "forwarded; stop with Ctrl+C or SIGTERM\n";
        else if (vt_)
            vt_->keyboard_off(); // keys come from evdev; Ctrl+Alt+Fn and Ctrl+Alt+Q handled here
    }
    epoll_ = UniqueFd(::epoll_create1(EPOLL_CLOEXEC));
    if (!epoll_) {
        Error e = Error::from_errno(errno, "kms: epoll_create1 failed");
        stop();
        return e;
    }
    auto watch = [&](int fd) {
        epoll_event ev{};
        ev.events = EPOLLIN;
        ev.data.fd = fd;
        ::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd, &ev);
    };
    watch(dev_->fd());
    if (vt_)
        watch(vt_->signal_fd());
    for (const UniqueFd& fd : keyboards_.fds())
        watch(fd.get());
    return {};
}

void KmsOutput::stop() {
    if (!dev_) {
        if (vt_)
            vt_->restore();
        vt_.reset();
        return;
    }
    wait_idle(nullptr, 500);
    // Only DRM master may set the CRTC; when switched away, whoever has the VT owns it.
    if (!vt_active_ || !dev_->is_master())
        saved_crtc_.disarm();
    if (Status s = saved_crtc_.restore(); !s)
        std::cerr << s.error().message << "\n";
    inflight_.reset();
    fbs_.clear();
    zombies_.clear();
    dumb_ = DumbSwapchain();
    maps_.clear();
    mode_blob_.reset();
    last_frame_.reset();
    screen_fb_ = 0;
    if (vt_)
        vt_->restore(); // after the CRTC is back, so fbcon redraws onto its own framebuffer
    vt_.reset();
    keyboards_ = EvdevKeyboards();
    epoll_.reset();
    dev_.reset(); // closing the fd drops DRM master
    started_ = false;
    configured_ = {};
    needs_modeset_ = true;
}

void KmsOutput::wait_idle(OutputSink* sink, int timeout_ms) {
    const uint64_t deadline = now_ns() + uint64_t(timeout_ms) * 1'000'000u;
    while (inflight_ && dev_) {
        const uint64_t now = now_ns();
        if (now >= deadline)
            break;
        pollfd p{dev_->fd(), POLLIN, 0};
        if (::poll(&p, 1, int((deadline - now) / 1'000'000u) + 1) <= 0)
            continue;
        drmEventContext ctx{};
        ctx.version = 3;
        ctx.page_flip_handler2 = page_flip_handler;
        flip_sink_ = sink;
        drmHandleEvent(dev_->fd(), &ctx);
        flip_sink_ = nullptr;
    }
}

void KmsOutput::page_flip_handler(int, unsigned, unsigned sec, unsigned usec, unsigned,
                                  void* data) {
    static_cast<KmsOutput*>(data)->on_flip_done(uint64_t(sec) * 1'000'000'000u +
                                                uint64_t(usec) * 1000u);
}

void KmsOutput::on_flip_done(uint64_t presented_ns) {
    if (!inflight_)
        return;
    const Inflight done = *inflight_;
    inflight_.reset();
    screen_fb_ = done.fb_id;
    if (done.dumb_index >= 0)
        dumb_.shown(done.dumb_index);
    if (flip_sink_ && done.seq)
        flip_sink_->on_presented(done.seq, presented_ns);
    release_zombies();
}

void KmsOutput::release_zombies() {
    std::erase_if(zombies_, [&](const Framebuffer& fb) {
        return fb.id() != screen_fb_ && !(inflight_ && inflight_->fb_id == fb.id());
    });
}

void KmsOutput::dispatch(OutputSink& sink) {
    if (!epoll_)
        return;
    epoll_event events[16];
    const int n = ::epoll_wait(epoll_.get(), events, 16, 0);
    for (int i = 0; i < n; ++i) {
        const int fd = events[i].data.fd;
        if (dev_ && fd == dev_->fd()) {
            drmEventContext ctx{};
            ctx.version = 3;
            ctx.page_flip_handler2 = page_flip_handler;
            flip_sink_ = &sink;
            drmHandleEvent(fd, &ctx);
            flip_sink_ = nullptr;
        } else if (vt_ && fd == vt_->signal_fd()) {
            for (VtConsole::Event e; (e = vt_->read_event()) != VtConsole::Event::None;) {
                if (e == VtConsole::Event::Release)
                    vt_release(sink);
                else
                    vt_acquire(sink);
            }
        } else {
            const bool alive = EvdevKeyboards::read(fd, [&](const KeyEvent& key) {
                int vt = 0;
                switch (chords_.feed(key, vt)) {
                case KeyAction::Quit:
                    sink.on_quit();
                    break;
                case KeyAction::SwitchVt:
                    if (vt_)
                        vt_->activate(vt);
                    break;
                case KeyAction::Swallow:
                    break;
                case KeyAction::Forward:
                    if (vt_active_)
                        sink.on_input(key);
                    break;
                }
            });
            if (!alive)
                ::epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, fd, nullptr);
        }
    }
}

void KmsOutput::vt_release(OutputSink& sink) {
    wait_idle(&sink, 1000);
    vt_active_ = false;
    if (dev_)
        dev_->drop_master();
    vt_->ack_release();
    if (options_.verbose)
        std::cerr << "kms: switched away from " << vt_->name() << "; not drawing\n";
}

void KmsOutput::vt_acquire(OutputSink& sink) {
    vt_->ack_acquire();
    if (Status s = dev_->acquire_master(); !s) {
        sink.on_output_error(s.error());
        return;
    }
    vt_active_ = true;
    needs_modeset_ = true;
    screen_fb_ = 0;
    if (options_.verbose)
        std::cerr << "kms: back on " << vt_->name() << "; redrawing\n";
    redraw(sink);
}

void KmsOutput::redraw(OutputSink& sink) {
    if (!last_frame_ || !last_frame_->buffer)
        return;
    Frame frame = *last_frame_;
    frame.seq = 0;
    frame.damage = Region(frame.buffer->layout().bounds());
    SubmitStats stats;
    if (Status s = submit(frame, stats, sink); !s)
        sink.on_output_error(s.error());
}

Status KmsOutput::choose_path(const Buffer& buffer) {
    const Layout& l = buffer.layout();
    if (options_.force_copy) {
        announce("forced", "kms: UDMAVIEW_KMS_COPY is set; copying damaged regions");
        path_ = Path::Copy;
    } else if (!import_refused_.empty()) {
        path_ = Path::Copy;
    } else if (no_direct_size_ == std::pair{l.width, l.height}) {
        path_ = Path::Copy;
    } else if (!buffer.dmabuf()) {
        announce("no-dmabuf", "kms: buffers from " + buffer.origin() +
                                  " have no dma-buf (no /dev/udmabuf or --no-udmabuf); copying "
                                  "damaged regions");
        path_ = Path::Copy;
    } else if (!pipe_.plane.supports(l.format->fourcc)) {
        announce("format", "kms: plane " + std::to_string(pipe_.plane.id) + " of " + driver_ +
                               " cannot scan out " + std::string(l.format->name) +
                               "; converting and copying damaged regions");
        path_ = Path::Copy;
    } else if (l.modifier != modifier_linear && !dev_->has_cap(DRM_CAP_ADDFB2_MODIFIERS)) {
        announce("modifier", "kms: " + driver_ +
                                 " takes no format modifiers and the buffer is not linear; "
                                 "copying damaged regions");
        path_ = Path::Copy;
    } else {
        path_ = Path::Import;
    }
    return {};
}

Result<uint32_t> KmsOutput::import(const Buffer& buffer, SubmitStats& stats) {
    auto it = fbs_.find(buffer.id());
    if (it != fbs_.end())
        return it->second.fb.id();
    const Layout& l = buffer.layout();
    if (Status s = l.validate(buffer.size()); !s)
        return Error{"kms: buffer from " + buffer.origin() + ": " + s.error().message,
                     s.error().errnum};
    Result<GemHandle> gem = GemHandle::import_dmabuf(dev_->fd(), buffer.dmabuf()->fd());
    if (!gem)
        return gem.error();
    Framebuffer::Desc desc{l.width,
                           l.height,
                           l.format->fourcc,
                           l.stride,
                           uint32_t(l.offset),
                           l.modifier,
                           l.modifier != modifier_linear ||
                               dev_->has_cap(DRM_CAP_ADDFB2_MODIFIERS)};
    Result<Framebuffer> fb = Framebuffer::add(dev_->fd(), gem->get(), desc);
    if (!fb && desc.use_modifier && l.modifier == modifier_linear) {
        desc.use_modifier = false;
        fb = Framebuffer::add(dev_->fd(), gem->get(), desc);
    }
    if (!fb)
        return fb.error();
    // The framebuffer holds its own reference; the handle closes when gem goes out of scope.
    const uint32_t id = fb->id();
    fbs_.emplace(buffer.id(), Imported{std::move(*fb), l});
    ++stats.imports;
    ++total_imports_;
    return id;
}

void KmsOutput::add_plane_props(drmModeAtomicReqPtr req, uint32_t fb_id, const Placement& p) {
    auto add = [&](const char* name, uint64_t v) {
        if (uint32_t id = plane_props_.id(name))
            drmModeAtomicAddProperty(req, pipe_.plane.id, id, v);
    };
    add("FB_ID", fb_id);
    add("CRTC_ID", pipe_.crtc.id);
    add("SRC_X", uint64_t(p.src.x) << 16);
    add("SRC_Y", uint64_t(p.src.y) << 16);
    add("SRC_W", uint64_t(p.src.w) << 16);
    add("SRC_H", uint64_t(p.src.h) << 16);
    add("CRTC_X", uint64_t(int64_t(p.dst.x)));
    add("CRTC_Y", uint64_t(int64_t(p.dst.y)));
    add("CRTC_W", uint64_t(p.dst.w));
    add("CRTC_H", uint64_t(p.dst.h));
}

Status KmsOutput::test_placement(uint32_t fb_id, const Placement& p) {
    AtomicRequest req;
    req.add(pipe_.connector.id, conn_props_.id("CRTC_ID"), pipe_.crtc.id);
    req.add(pipe_.crtc.id, crtc_props_.id("MODE_ID"), mode_blob_.id());
    req.add(pipe_.crtc.id, crtc_props_.id("ACTIVE"), 1);
    add_plane_props(req.get(), fb_id, p);
    if (drmModeAtomicCommit(dev_->fd(), req.get(),
                            DRM_MODE_ATOMIC_TEST_ONLY | DRM_MODE_ATOMIC_ALLOW_MODESET,
                            nullptr) != 0)
        return Error::from_errno(errno, "kms: test commit");
    return {};
}

Status KmsOutput::modeset(uint32_t fb_id, const Placement& p) {
    if (dev_->atomic()) {
        AtomicRequest req;
        req.add(pipe_.connector.id, conn_props_.id("CRTC_ID"), pipe_.crtc.id);
        req.add(pipe_.crtc.id, crtc_props_.id("MODE_ID"), mode_blob_.id());
        req.add(pipe_.crtc.id, crtc_props_.id("ACTIVE"), 1);
        add_plane_props(req.get(), fb_id, p);
        if (drmModeAtomicCommit(dev_->fd(), req.get(), DRM_MODE_ATOMIC_ALLOW_MODESET, nullptr) != 0)
            return Error::from_errno(
                errno, "kms: modeset of crtc " + std::to_string(pipe_.crtc.id) + " to " +
                           mode_string(mode_) + " on " + dev_->describe() + " failed");
    } else {
        uint32_t conn = pipe_.connector.id;
        if (drmModeSetCrtc(dev_->fd(), pipe_.crtc.id, fb_id, uint32_t(p.src.x), uint32_t(p.src.y),
                           &conn, 1, &mode_) != 0)
            return Error::from_errno(
                errno, "kms: drmModeSetCrtc of crtc " + std::to_string(pipe_.crtc.id) + " to " +
                           mode_string(mode_) + " on " + dev_->describe() + " failed");
    }
    screen_fb_ = fb_id;
    release_zombies();
    return {};
}

Status KmsOutput::flip(uint32_t fb_id, const Placement& p, const Region& clips, uint64_t seq,
                       int dumb_index) {
    const uint64_t user = reinterpret_cast<uintptr_t>(this);
    if (dev_->atomic()) {
        AtomicRequest req;
        add_plane_props(req.get(), fb_id, p);
        PropertyBlob damage;
        const uint32_t damage_prop = plane_props_.id("FB_DAMAGE_CLIPS");
        if (damage_prop && !clips.empty()) {
            std::vector<drm_mode_rect> rects;
            for (const Rect& r : clips.rects())
                rects.push_back({r.x, r.y, r.right(), r.bottom()});
            Result<PropertyBlob> blob = PropertyBlob::create(
                dev_->fd(), rects.data(), rects.size() * sizeof rects[0], "FB_DAMAGE_CLIPS");
            if (!blob)
                return blob.error();
            damage = std::move(*blob);
            drmModeAtomicAddProperty(req.get(), pipe_.plane.id, damage_prop, damage.id());
        }
        if (drmModeAtomicCommit(dev_->fd(), req.get(),
                                DRM_MODE_ATOMIC_NONBLOCK | DRM_MODE_PAGE_FLIP_EVENT,
                                reinterpret_cast<void*>(user)) != 0)
            return Error::from_errno(errno, "kms: page flip on crtc " +
                                                std::to_string(pipe_.crtc.id) + " of " +
                                                dev_->describe() + " failed");
    } else {
        if (drmModePageFlip(dev_->fd(), pipe_.crtc.id, fb_id, DRM_MODE_PAGE_FLIP_EVENT,
                            reinterpret_cast<void*>(user)) != 0)
            return Error::from_errno(errno, "kms: drmModePageFlip on crtc " +
                                                std::to_string(pipe_.crtc.id) + " of " +
                                                dev_->describe() + " failed");
    }
    inflight_ = Inflight{seq, fb_id, dumb_index};
    return {};
}

Status KmsOutput::dirty(uint32_t fb_id, const Region& clips) {
    if (dirtyfb_unsupported_ || clips.empty())
        return {};
    std::vector<drmModeClip> rects;
    for (const Rect& r : clips.rects())
        rects.push_back({uint16_t(r.x), uint16_t(r.y), uint16_t(r.right()), uint16_t(r.bottom())});
    if (drmModeDirtyFB(dev_->fd(), fb_id, rects.data(), uint32_t(rects.size())) != 0) {
        const int err = errno;
        if (err == ENOSYS) { // the driver scans out directly: nothing to tell it
            dirtyfb_unsupported_ = true;
            return {};
        }
        return Error::from_errno(err, "kms: drmModeDirtyFB on framebuffer " +
                                          std::to_string(fb_id) + " of " + dev_->describe() +
                                          " failed");
    }
    return {};
}

Status KmsOutput::make_dumb_buffers() {
    // The old buffers may be on screen until the modeset: let them go after it.
    for (Framebuffer& fb : dumb_.take_framebuffers())
        zombies_.push_back(std::move(fb));
    const Format* src = configured_.format;
    const Format* format = src && src->bytes_per_pixel == 4 && pipe_.plane.supports(src->fourcc)
                               ? src
                               : find_format(xrgb8888);
    Result<DumbSwapchain> chain =
        DumbSwapchain::create(*dev_, mode_.hdisplay, mode_.vdisplay, format, placement_);
    if (!chain)
        return chain.error();
    dumb_ = std::move(*chain);
    return {};
}

Result<const Mapping*> KmsOutput::mapping_for(const Buffer& buffer, SubmitStats& stats) {
    auto it = maps_.find(buffer.id());
    if (it == maps_.end()) {
        if (Status s = buffer.layout().validate(buffer.size()); !s)
            return Error{"kms: buffer from " + buffer.origin() + ": " + s.error().message,
                         s.error().errnum};
        Result<Mapping> map = buffer.map(PROT_READ);
        if (!map)
            return with_context(map.error(), "kms: ");
        it = maps_.emplace(buffer.id(), std::move(*map)).first;
        ++stats.imports;
    }
    return &it->second;
}

Status KmsOutput::configure(const Frame& frame) {
    const Buffer& buffer = *frame.buffer;
    const Layout& l = buffer.layout();
    if (Status s = choose_path(buffer); !s)
        return s;
    Result<drmModeModeInfo> mode = choose_mode(pipe_.connector, mode_request_, l.width, l.height);
    if (!mode)
        return mode.error();
    mode_ = *mode;
    if (dev_->atomic()) {
        Result<PropertyBlob> blob =
            PropertyBlob::create(dev_->fd(), &mode_, sizeof mode_, "MODE_ID");
        if (!blob)
            return blob.error();
        mode_blob_ = std::move(*blob);
    }
    configured_ = {l.width, l.height, l.format, path_};
    needs_modeset_ = true;
    if (options_.verbose)
        std::cerr << "kms: source " << l.to_string() << " on mode " << mode_string(mode_) << "\n";
    return {};
}

Status KmsOutput::submit(const Frame& frame, SubmitStats& stats, OutputSink& sink) {
    if (!frame.buffer)
        return Error{"kms: frame " + std::to_string(frame.seq) + " has no buffer", EINVAL};
    if (!dev_)
        return Error{"kms: submit before start", EINVAL};
    if (frame.seq)
        last_frame_ = frame;
    if (!vt_active_) { // switched away: the frame is shown when the VT comes back
        stats.path = "vt-inactive";
        return {};
    }
    // A new size or format, or a buffer that needs the other path (a dma-buf appears or goes
    // away): re-layout, without a restart.
    const Layout& l = frame.buffer->layout();
    if (Status s = choose_path(*frame.buffer); !s)
        return s;
    const Configured want{l.width, l.height, l.format, path_};
    if (!(want == configured_))
        if (Status s = configure(frame); !s)
            return s;
    if (configured_.path == Path::Import) {
        if (Status s = submit_import(frame, stats, sink); !s)
            return s;
        if (configured_.path == Path::Import)
            return {};
        // The import was refused: configure() switched to the copy path.
    }
    return submit_copy(frame, stats, sink);
}

Status KmsOutput::submit_import(const Frame& frame, SubmitStats& stats, OutputSink& sink) {
    const Buffer& buffer = *frame.buffer;
    const Layout& l = buffer.layout();
    stats.path = "import";
    auto refuse = [&](const std::string& why, const std::string& message) -> Status {
        import_refused_ = why;
        announce("import", message);
        if (Status s = configure(frame); !s)
            return s;
        return {};
    };
    Result<uint32_t> fb = import(buffer, stats);
    if (!fb)
        return refuse(fb.error().message, "kms: " + driver_ + " cannot import dma-bufs (" +
                                              errno_name(fb.error().errnum) +
                                              "); copying damaged regions");
    stats.imported_ns = now_ns();
    if (needs_modeset_) {
        Placement p = place(l.width, l.height, mode_.hdisplay, mode_.vdisplay, options_.scale);
        bool ok;
        if (dev_->atomic()) {
            ok = bool(test_placement(*fb, p));
            if (!ok && p.scaled()) {
                announce("scale", "kms: plane " + std::to_string(pipe_.plane.id) + " of " +
                                      driver_ + " cannot scale; showing the picture 1:1");
                p = place(l.width, l.height, mode_.hdisplay, mode_.vdisplay, ScaleMode::None);
                ok = bool(test_placement(*fb, p));
            }
        } else {
            p = place(l.width, l.height, mode_.hdisplay, mode_.vdisplay, ScaleMode::None);
            ok = l.width >= mode_.hdisplay && l.height >= mode_.vdisplay;
        }
        if (!ok) {
            no_direct_size_ = std::pair{l.width, l.height};
            announce("placement-" + std::to_string(l.width) + "x" + std::to_string(l.height),
                     "kms: plane " + std::to_string(pipe_.plane.id) + " of " + driver_ +
                         " cannot show a " + std::to_string(l.width) + "x" +
                         std::to_string(l.height) + " picture on " + mode_string(mode_) +
                         " directly; composing it into a full-screen buffer (copying damaged "
                         "regions)");
            return configure(frame);
        }
        placement_ = p;
        stats.submitted_ns = now_ns();
        if (Status s = modeset(*fb, p); !s)
            return refuse(s.error().message, "kms: " + driver_ + " cannot import dma-bufs (" +
                                                 errno_name(s.error().errnum) +
                                                 "); copying damaged regions");
        needs_modeset_ = false;
        last_clips_ = Region();
        if (frame.seq)
            sink.on_presented(frame.seq, now_ns());
        return {};
    }
    const Region clips = damage_clips(frame.damage, l.width, l.height, l.stride, quirks_);
    stats.submitted_ns = now_ns();
    if (*fb != screen_fb_) {
        last_clips_ = pipe_.plane.has_damage_clips ? clips : Region();
        return flip(*fb, placement_, clips, frame.seq, -1);
    }
    last_clips_ = clips;
    if (clips.empty()) {
        if (frame.seq)
            sink.on_presented(frame.seq, now_ns());
        return {};
    }
    if (dev_->atomic() && pipe_.plane.has_damage_clips)
        return flip(*fb, placement_, clips, frame.seq, -1);
    if (Status s = dirty(*fb, clips); !s)
        return s;
    if (frame.seq)
        sink.on_presented(frame.seq, now_ns()); // DirtyFB returns when the update is done
    return {};
}

Status KmsOutput::submit_copy(const Frame& frame, SubmitStats& stats, OutputSink& sink) {
    const Buffer& buffer = *frame.buffer;
    const Layout& l = buffer.layout();
    stats.path = "dumb-copy";
    Result<const Mapping*> map = mapping_for(buffer, stats);
    if (!map)
        return map.error();
    stats.imported_ns = now_ns();
    const Placement full{{0, 0, int32_t(mode_.hdisplay), int32_t(mode_.vdisplay)},
                         {0, 0, int32_t(mode_.hdisplay), int32_t(mode_.vdisplay)}};
    if (needs_modeset_) {
        if (options_.scale != ScaleMode::None &&
            (l.width != mode_.hdisplay || l.height != mode_.vdisplay))
            announce("copy-scale", "kms: the copy path shows the picture 1:1 (no scaling)");
        placement_ = place(l.width, l.height, mode_.hdisplay, mode_.vdisplay, ScaleMode::None);
        if (Status s = make_dumb_buffers(); !s)
            return s;
        Region copied;
        stats.bytes_copied += dumb_.fill(0, buffer, **map, copied);
        stats.submitted_ns = now_ns();
        if (Status s = modeset(dumb_.fb(0), full); !s)
            return s;
        dumb_.shown(0);
        needs_modeset_ = false;
        last_clips_ = Region();
        if (frame.seq)
            sink.on_presented(frame.seq, now_ns());
        return {};
    }
    dumb_.add_damage(frame.damage);
    const int back = dumb_.back();
    Region copied;
    stats.bytes_copied += dumb_.fill(back, buffer, **map, copied);
    const Region clips =
        damage_clips(copied, mode_.hdisplay, mode_.vdisplay, dumb_.pitch(back), quirks_);
    last_clips_ = clips;
    stats.submitted_ns = now_ns();
    return flip(dumb_.fb(back), full, clips, frame.seq, back);
}

void KmsOutput::retire(BufferId id) {
    maps_.erase(id);
    auto it = fbs_.find(id);
    if (it == fbs_.end())
        return;
    zombies_.push_back(std::move(it->second.fb));
    fbs_.erase(it);
    release_zombies();
}

} // namespace udmaview::kms
