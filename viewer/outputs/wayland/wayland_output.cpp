// SPDX-License-Identifier: MIT
#include "outputs/wayland/wayland_output.h"

#include <cerrno>
#include <iostream>

#include <poll.h>

#include "udmaview/clock.h"
#include "udmaview/stop_signal.h"

namespace udmaview {

namespace {

// How long the compositor may take to answer the window's first configure.
constexpr uint64_t map_timeout_ns = 5'000'000'000ull;

} // namespace

WaylandOutput::~WaylandOutput() {
    stop();
}

bool WaylandOutput::busy() const {
    return (feedback_ && feedback_->pending()) || (converter_ && !converter_->has_free());
}

Status WaylandOutput::start() {
    if (options_.sources > 1)
        return Error{"--output wayland shows one source (several --source tile on --output sdl "
                     "and kms); start one udmaview per guest",
                     EINVAL};
    Result<std::unique_ptr<wl::WaylandConnection>> c =
        wl::WaylandConnection::connect(options_.display);
    if (!c)
        return c.error();
    conn_ = std::move(*c);
    Result<std::unique_ptr<wl::WaylandWindow>> w = wl::WaylandWindow::create(
        *conn_, options_.title, options_.width, options_.height, options_.fullscreen);
    if (!w)
        return w.error();
    window_ = std::move(*w);
    const uint64_t deadline = now_ns() + map_timeout_ns;
    while (!window_->mapped()) {
        if (now_ns() > deadline)
            return Error{"wayland: the compositor at " + conn_->name() +
                             " did not configure the window within 5 s",
                         ETIMEDOUT};
        if (Status s = conn_->roundtrip(); !s)
            return s;
    }
    buffers_ = std::make_unique<wl::BufferChoice>(*conn_);
    feedback_ = std::make_unique<wl::FrameFeedback>(*conn_);
    input_ = std::make_unique<wl::WaylandInput>(*conn_, *window_);
    cursor_ = std::make_unique<wl::WaylandCursor>(*conn_);
    if (Status s = conn_->roundtrip(); !s) // the seat's capabilities
        return s;
    if (options_.verbose)
        std::cerr << "wayland: window " << window_->width() << "x" << window_->height() << " on "
                  << conn_->name() << "; wl_shm formats " << conn_->shm_format_names()
                  << "; zwp_linux_dmabuf_v1 "
                  << (conn_->dmabuf() ? "v" + std::to_string(conn_->dmabuf()->version()) + " " +
                                            conn_->dmabuf()->describe()
                                      : std::string("not offered"))
                  << (feedback_->presentation() ? "; wp_presentation timing"
                                                : "; frame callbacks (no wp_presentation)")
                  << "\n";
    if (!feedback_->presentation())
        std::cerr << "wayland: the compositor offers no wp_presentation: presented_ns is when "
                     "its frame callback arrived (output_counters wl_frame_callbacks)\n";
    return {};
}

void WaylandOutput::stop() {
    cursor_.reset();
    input_.reset();
    feedback_.reset();
    // The surfaces go before the buffers they show, so no buffer is destroyed while the
    // compositor still holds it for a live surface.
    window_.reset();
    converter_.reset();
    buffers_.reset();
    conn_.reset();
}

Status WaylandOutput::submit(const Frame& frame, SubmitStats& stats, OutputSink&) {
    if (lost_)
        return Error{"wayland: the connection to the compositor is gone", EPIPE};
    const Buffer& buffer = *frame.buffer;
    const Layout& l = buffer.layout();
    const char* path = "wl-shm";
    Result<wl_buffer*> wb = buffer_for(frame, stats, path);
    if (!wb)
        return wb.error();
    stats.imported_ns = now_ns();
    const bool relayout = window_->layout_dirty();
    window_->place(l.width, l.height, options_.scale);
    wl_surface* s = window_->picture();
    wl_surface_attach(s, *wb, 0, 0);
    // The frame's damage is against the picture on screen, whichever buffer held it, so a
    // switch of buffers needs no more. The first picture and a new place need all of it; so
    // does a bottom-up buffer, whose rows compositors may count either way for damage.
    if (!attached_ || relayout || !l.y0_top) {
        wl_surface_damage_buffer(s, 0, 0, int32_t(l.width), int32_t(l.height));
        ++full_damages_;
        ++damage_rects_;
        damage_pixels_ += uint64_t(l.width) * l.height;
    } else {
        for (const Rect& r : frame.damage.rects()) {
            wl_surface_damage_buffer(s, r.x, r.y, r.w, r.h);
            ++damage_rects_;
            damage_pixels_ += uint64_t(r.w) * uint64_t(r.h);
        }
    }
    feedback_->request(s, frame.seq);
    wl_surface_commit(s);
    buffers_->held().attached(buffer.id());
    attached_ = buffer.id();
    attached_buffer_ = *wb;
    attached_w_ = l.width;
    attached_h_ = l.height;
    stats.path = path;
    stats.submitted_ns = now_ns();
    if (Status st = conn_->flush(); !st) {
        lost_ = true;
        return st;
    }
    return {};
}

Result<wl_buffer*> WaylandOutput::buffer_for(const Frame& frame, SubmitStats& stats,
                                             const char*& path) {
    const Buffer& buffer = *frame.buffer;
    wl::BufferChoice::Chosen chosen = buffers_->get(buffer, stats.imports);
    if (chosen.buffer) {
        path = chosen.kind == wl::BufferKind::Dmabuf ? "wl-dmabuf" : "wl-shm";
        return chosen.buffer;
    }
    const std::string& why = chosen.why;
    const Layout& l = buffer.layout();
    if (chosen.refused)
        return Error{"wayland: the " + l.to_string() + " buffer from " + buffer.origin() +
                         " cannot be shown: " + why + "; use --output sdl for this source",
                     ENOTSUP};
    path = "wl-shm-convert";
    if (!converter_ || converter_->width() != l.width || converter_->height() != l.height) {
        Result<std::unique_ptr<wl::ShmConverter>> c =
            wl::ShmConverter::create(*conn_, l.width, l.height);
        if (!c)
            return c.error();
        converter_ = std::move(*c);
        attached_ = 0; // a new buffer: the whole picture goes first
    }
    if (convert_said_.insert(why).second)
        std::cerr << "wayland: the " << l.to_string() << " buffer from " << buffer.origin()
                  << " cannot go to the compositor as it is (" << why
                  << "): converting the changed rectangles into XRGB8888 wl_shm buffers "
                     "(counted as copied; path wl-shm-convert)\n";
    ++converted_frames_;
    // The first picture in the converted buffers is drawn whole.
    const Region damage =
        attached_ ? frame.damage : Region(Rect{0, 0, int32_t(l.width), int32_t(l.height)});
    return converter_->convert(buffer, damage, stats.bytes_copied, stats.imports);
}

void WaylandOutput::dispatch(OutputSink& sink) {
    if (!conn_ || lost_)
        return;
    if (Status s = conn_->dispatch(); !s) {
        lost_ = true;
        sink.on_output_error(s.error());
        return;
    }
    deliver(sink);
}

void WaylandOutput::deliver(OutputSink& sink) {
    for (const wl::Presented& p : feedback_->take())
        if (p.presented_ns) // a discarded frame was never on screen: it stays unpresented
            sink.on_presented(p.seq, p.presented_ns);
    for (const InputEvent& e : input_->take())
        sink.on_input(e);
    window_input();
    if (window_->layout_dirty() && attached_)
        relayout();
    // The guest may follow (--guest-size follow): the window's size in surface pixels.
    if (window_->take_user_size())
        sink.on_size_wanted(0, WantedSize{window_->width(), window_->height(), 0, 0});
    if (window_->closed())
        sink.on_quit();
}

Status WaylandOutput::finish(const Frame*) {
    if (!options_.hold_ms || !conn_ || lost_)
        return {};
    std::cerr << "wayland: holding the last frame for " << options_.hold_ms << " ms\n";
    const uint64_t until = now_ns() + options_.hold_ms * 1'000'000;
    while (!window_->closed() && now_ns() < until && !stop_signal_pending()) {
        pollfd p{.fd = conn_->fd(), .events = POLLIN, .revents = 0};
        ::poll(&p, 1, 20);
        if (Status s = conn_->dispatch(); !s)
            return s;
        (void)feedback_->take(); // the run's frames are counted already
        (void)input_->take();
        window_input();
        if (window_->layout_dirty() && attached_)
            relayout();
    }
    return {};
}

void WaylandOutput::window_input() {
    if (input_->take_fullscreen_toggle())
        window_->toggle_fullscreen();
    if (std::optional<wl::WaylandInput::PointerFocus> f = input_->take_focus_change())
        cursor_->pointer_at(f->pointer, f->serial);
    // Sent now: the next flush may be a frame away, or never come (a still guest).
    if (Status s = conn_->flush(); !s)
        lost_ = true;
}

void WaylandOutput::set_cursor(const CursorState& state) {
    if (!cursor_ || lost_)
        return;
    cursor_->set(state);
    // No frame may follow to carry the requests out (a still guest).
    if (Status s = conn_->flush(); !s)
        lost_ = true;
}

void WaylandOutput::relayout() {
    window_->place(attached_w_, attached_h_, options_.scale);
    wl_surface* s = window_->picture();
    wl_surface_attach(s, attached_buffer_, 0, 0);
    wl_surface_damage_buffer(s, 0, 0, int32_t(attached_w_), int32_t(attached_h_));
    ++full_damages_;
    ++damage_rects_;
    damage_pixels_ += uint64_t(attached_w_) * attached_h_;
    wl_surface_commit(s);
    buffers_->held().attached(attached_);
    if (converter_)
        converter_->reattached(attached_buffer_);
}

void WaylandOutput::retire(BufferId id) {
    if (buffers_)
        buffers_->held().retire(id);
    if (converter_)
        converter_->retire(id);
    if (id == attached_)
        attached_ = 0;
}

std::vector<std::pair<std::string, uint64_t>> WaylandOutput::counters() const {
    if (!feedback_)
        return {};
    const wl::FrameFeedback::Counts& c = feedback_->counts();
    return {{"wl_presentation", feedback_->presentation() ? 1 : 0},
            {"wl_presented", c.presented},
            {"wl_discarded", c.discarded},
            {"wl_frame_callbacks", c.frame_callbacks},
            {"wl_flag_vsync", c.vsync},
            {"wl_flag_hw_clock", c.hw_clock},
            {"wl_flag_hw_completion", c.hw_completion},
            {"wl_flag_zero_copy", c.zero_copy},
            {"wl_buffers", buffers_ ? buffers_->held().size() : 0},
            {"wl_dmabuf_buffers", buffers_ ? buffers_->held().made(wl::BufferKind::Dmabuf) : 0},
            {"wl_shm_buffers", buffers_ ? buffers_->held().made(wl::BufferKind::Shm) : 0},
            {"wl_releases", buffers_ ? buffers_->held().releases() : 0},
            {"wl_damage_rects", damage_rects_},
            {"wl_damage_pixels", damage_pixels_},
            {"wl_converted_frames", converted_frames_},
            {"wl_full_damages", full_damages_},
            {"wl_cursor_images", cursor_ ? cursor_->images() : 0},
            {"wl_cursor_sets", cursor_ ? cursor_->sets() : 0}};
}

} // namespace udmaview
