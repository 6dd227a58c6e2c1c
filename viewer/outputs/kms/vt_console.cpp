// SPDX-License-Identifier: MIT
#include "outputs/kms/vt_console.h"

#include <cerrno>
#include <fcntl.h>
#include <iostream>
#include <linux/kd.h>
#include <pthread.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <unistd.h>

namespace udmaview::kms {

namespace {

constexpr int release_signal = SIGUSR1;
constexpr int acquire_signal = SIGUSR2;

bool is_vt(int fd) {
    int mode = 0;
    return ::ioctl(fd, KDGETMODE, &mode) == 0;
}

} // namespace

Result<std::unique_ptr<VtConsole>> VtConsole::take(std::string& note, const std::string& card,
                                                   bool take_over) {
    std::unique_ptr<VtConsole> vt(new VtConsole);
    vt_stat state{};
    if (::isatty(STDIN_FILENO) && is_vt(STDIN_FILENO) &&
        ::ioctl(STDIN_FILENO, VT_GETSTATE, &state) == 0) {
        vt->tty_ = UniqueFd(::fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 3));
        char* name = ::ttyname(STDIN_FILENO);
        vt->name_ = name ? name : "stdin";
    } else {
        UniqueFd tty0(::open("/dev/tty0", O_RDWR | O_NOCTTY | O_CLOEXEC));
        if (!tty0 || ::ioctl(tty0.get(), VT_GETSTATE, &state) != 0) {
            note = "kms: not on a virtual terminal (no usable /dev/tty0): the text console is "
                   "not switched to graphics mode and VT switching is off";
            return std::unique_ptr<VtConsole>();
        }
        vt->name_ = "/dev/tty" + std::to_string(state.v_active);
        vt->tty_ = UniqueFd(::open(vt->name_.c_str(), O_RDWR | O_NOCTTY | O_CLOEXEC));
    }
    if (!vt->tty_)
        return Error::from_errno(errno, "kms: cannot open the console " + vt->name_,
                                 "run as root or from the console itself");
    const int fd = vt->tty_.get();
    if (::ioctl(fd, KDGETMODE, &vt->old_kd_mode_) != 0 ||
        ::ioctl(fd, VT_GETMODE, &vt->old_vt_mode_) != 0)
        return Error::from_errno(errno, "kms: reading the mode of " + vt->name_ + " failed");
    if (::ioctl(fd, KDGKBMODE, &vt->old_kb_mode_) != 0)
        vt->old_kb_mode_ = -1;
    if (vt->old_kd_mode_ == KD_GRAPHICS) {
        if (!take_over)
            return Error{"kms: " + vt->name_ +
                             " is in graphics mode, but no program holds DRM "
                             "master of " +
                             card +
                             ": a graphical program probably died and "
                             "left it so; run again with --take-over to reset the console and "
                             "use it, or switch to a free VT",
                         EBUSY};
        // What the dead program should have restored: text mode, a keyboard that types,
        // automatic switching.
        std::cerr << "kms: " << vt->name_ << " was left in graphics mode; taking it over\n";
        vt->old_kd_mode_ = KD_TEXT;
        if (vt->old_kb_mode_ == K_OFF || vt->old_kb_mode_ == K_RAW ||
            vt->old_kb_mode_ == K_MEDIUMRAW) {
            vt->old_kb_mode_ = K_UNICODE;
            vt->kb_changed_ = true; // restored at the end even when no keyboard turns it off
        }
        vt->old_vt_mode_ = vt_mode{};
        vt->old_vt_mode_.mode = VT_AUTO;
    }
    // Before anything changes, so that the guardian exists whenever there is something to
    // restore.
    Result<VtGuardian> guardian =
        VtGuardian::start(fd, VtState{vt->old_kd_mode_, vt->old_kb_mode_, vt->old_vt_mode_});
    if (!guardian)
        return guardian.error();
    vt->guardian_ = std::move(*guardian);

    // Switch requests arrive as signals; read them from a signalfd in the output's loop.
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, release_signal);
    sigaddset(&set, acquire_signal);
    if (int err = ::pthread_sigmask(SIG_BLOCK, &set, &vt->old_mask_); err != 0)
        return Error::from_errno(err, "kms: blocking the VT switch signals failed");
    vt->active_ = true; // from here restore() undoes what was done
    vt->signal_fd_ = UniqueFd(::signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK));
    if (!vt->signal_fd_)
        return Error::from_errno(errno, "kms: signalfd for VT switching failed");

    vt_mode mode{};
    mode.mode = VT_PROCESS;
    mode.relsig = release_signal;
    mode.acqsig = acquire_signal;
    if (::ioctl(fd, VT_SETMODE, &mode) != 0)
        return Error::from_errno(errno, "kms: VT_SETMODE VT_PROCESS on " + vt->name_ + " failed",
                                 "run as root or from the console itself");
    if (::ioctl(fd, KDSETMODE, KD_GRAPHICS) != 0)
        return Error::from_errno(errno, "kms: switching " + vt->name_ + " to graphics mode failed");
    return vt;
}

VtConsole::Event VtConsole::read_event() {
    signalfd_siginfo info{};
    if (::read(signal_fd_.get(), &info, sizeof info) != ssize_t(sizeof info))
        return Event::None;
    if (int(info.ssi_signo) == release_signal)
        return Event::Release;
    if (int(info.ssi_signo) == acquire_signal)
        return Event::Acquire;
    return Event::None;
}

void VtConsole::ack_release() {
    ::ioctl(tty_.get(), VT_RELDISP, 1);
}

void VtConsole::ack_acquire() {
    ::ioctl(tty_.get(), VT_RELDISP, VT_ACKACQ);
}

void VtConsole::activate(int n) {
    ::ioctl(tty_.get(), VT_ACTIVATE, n);
}

void VtConsole::keyboard_off() {
    if (tty_ && old_kb_mode_ >= 0 && ::ioctl(tty_.get(), KDSKBMODE, K_OFF) == 0)
        kb_changed_ = true;
}

void VtConsole::restore() {
    if (!active_)
        return;
    active_ = false;
    const int fd = tty_.get();
    if (kb_changed_)
        ::ioctl(fd, KDSKBMODE, old_kb_mode_);
    kb_changed_ = false;
    ::ioctl(fd, KDSETMODE, old_kd_mode_);
    vt_mode mode = old_vt_mode_;
    if (mode.mode != VT_PROCESS) {
        mode.mode = VT_AUTO;
        mode.relsig = mode.acqsig = 0;
    }
    ::ioctl(fd, VT_SETMODE, &mode);
    // A switch request still queued would kill the process once unblocked (SIGUSR1's default).
    if (signal_fd_)
        while (read_event() != Event::None) {
        }
    signal_fd_.reset();
    ::pthread_sigmask(SIG_SETMASK, &old_mask_, nullptr);
    guardian_.dismiss(); // restored here: the guardian must not touch the VT later
}

} // namespace udmaview::kms
