// SPDX-License-Identifier: MIT
// KmsOutput's console side: the VT it takes when no seat manager does (graphics mode, switch
// signals), the evdev keyboards with the chords handled here, and the epoll fd the presenter
// polls over them, the seat and the DRM device.
#include <cerrno>
#include <iostream>
#include <sys/epoll.h>

#include "outputs/kms/kms_output.h"

namespace udmaview::kms {

Status KmsOutput::open_console() {
    const bool seat = bool(opener());
    // Under a seat manager the VT is the manager's: it sets graphics mode, drives switches
    // and restores the console however this process ends.
    if (options_.console && !seat) {
        std::string note;
        Result<std::unique_ptr<VtConsole>> vt =
            VtConsole::take(note, dev_->describe(), options_.take_over);
        if (!vt)
            return vt.error();
        vt_ = std::move(*vt);
        if (!note.empty())
            std::cerr << note << "\n";
    }
    epoll_ = UniqueFd(::epoll_create1(EPOLL_CLOEXEC));
    if (!epoll_)
        return Error::from_errno(errno, "kms: epoll_create1 failed");
    auto watch = [&](int fd) {
        epoll_event ev{};
        ev.events = EPOLLIN;
        ev.data.fd = fd;
        ::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd, &ev);
    };
    watch(dev_->fd());
    if (vt_)
        watch(vt_->signal_fd());
#if UDMAVIEW_HAVE_LIBSEAT
    if (seat_)
        watch(seat_->fd());
#endif
    if (options_.keyboard) {
        keyboards_ = EvdevKeyboards::open_all(opener());
        if (keyboards_.empty())
            std::cerr << "kms: no keyboard in /dev/input (or no permission): keys are not "
                         "forwarded; stop with Ctrl+C or SIGTERM\n";
        else if (vt_)
            vt_->keyboard_off(); // keys come from evdev; Ctrl+Alt+Fn and Ctrl+Alt+Q handled here
        watch_keyboards();
    }
    return {};
}

void KmsOutput::watch_keyboards() {
    for (const DeviceNode& fd : keyboards_.fds()) {
        epoll_event ev{};
        ev.events = EPOLLIN;
        ev.data.fd = fd.get();
        ::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd.get(), &ev);
    }
}

// Explicitly out of the epoll set: a seat manager holds the same open files, so closing our
// fds would not remove them.
void KmsOutput::close_keyboards() {
    if (epoll_)
        for (const DeviceNode& fd : keyboards_.fds())
            ::epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, fd.get(), nullptr);
    keyboards_ = EvdevKeyboards();
}

void KmsOutput::dispatch(OutputSink& sink) {
    if (!epoll_)
        return;
    // On every wakeup, not only when its fd is readable: libseat keeps events it read while
    // waiting for the answer to a request (opening a device).
    dispatch_seat(sink);
    epoll_event events[16];
    const int n = ::epoll_wait(epoll_.get(), events, 16, 0);
    for (int i = 0; i < n; ++i) {
        const int fd = events[i].data.fd;
        if (dev_ && fd == dev_->fd()) {
            scanout_->handle_events(flip_done(&sink));
        } else if (is_seat_fd(fd)) {
            continue; // read above
        } else if (vt_ && fd == vt_->signal_fd()) {
            for (VtConsole::Event e; (e = vt_->read_event()) != VtConsole::Event::None;) {
                if (e == VtConsole::Event::Release) {
                    release_display(sink, vt_->name());
                    vt_->ack_release();
                } else {
                    vt_->ack_acquire();
                    acquire_display(sink, vt_->name());
                }
            }
        } else {
            const bool alive = EvdevKeyboards::read(fd, [&](const KeyEvent& key) {
                int vt = 0;
                const KeyAction chord = chords_.feed(key, vt);
                switch (chord) {
                case KeyAction::Quit:
                    sink.on_quit();
                    break;
                case KeyAction::SwitchVt:
#if UDMAVIEW_HAVE_LIBSEAT
                    if (seat_)
                        seat_->switch_session(vt);
#endif
                    if (vt_)
                        vt_->activate(vt);
                    break;
                case KeyAction::ToggleHud:
                    toggle_hud(sink);
                    break;
                case KeyAction::FocusPrev:
                case KeyAction::FocusNext:
                case KeyAction::ToggleTiles:
                    tile_key(chord, sink);
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
    show_cursor(sink);
}

void KmsOutput::release_display(OutputSink& sink, const std::string& where) {
    wait_idle(&sink, 1000);
    vt_active_ = false;
    if (dev_)
        dev_->drop_master();
    if (options_.verbose)
        std::cerr << "kms: switched away from " << where << "; not drawing\n";
}

void KmsOutput::acquire_display(OutputSink& sink, const std::string& where) {
    if (Status s = dev_->acquire_master(); !s) {
        sink.on_output_error(s.error());
        return;
    }
    vt_active_ = true;
    needs_modeset_ = true;
    scanout_->forget_screen();
    if (options_.verbose)
        std::cerr << "kms: back on " << where << "; redrawing\n";
    redraw(sink);
}

void KmsOutput::redraw(OutputSink& sink) {
    if (!last_frame_ || !last_frame_->buffer)
        return;
    Frame frame = *last_frame_;
    frame.damage = Region(frame.buffer->layout().bounds());
    SubmitStats stats;
    if (Status s = show(frame, Origin::Redraw, stats, sink); !s) {
        sink.on_output_error(s.error());
        return;
    }
    ++switch_redraws_;
}

} // namespace udmaview::kms
