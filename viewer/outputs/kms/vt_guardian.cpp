// SPDX-License-Identifier: MIT
#include "outputs/kms/vt_guardian.h"

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <linux/kd.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <utility>

namespace udmaview::kms {

namespace {

constexpr char dismiss_byte = 'd';
// The child's fds after it closed everything else.
constexpr int child_tty = 0, child_control = 1, child_viewer = 2;

void restore_vt(int tty, const VtState& s) {
    if (s.kb_mode >= 0)
        ::ioctl(tty, KDSKBMODE, s.kb_mode);
    ::ioctl(tty, KDSETMODE, s.kd_mode);
    vt_mode mode = s.vt;
    if (mode.mode != VT_PROCESS) {
        mode.mode = VT_AUTO;
        mode.relsig = mode.acqsig = 0;
    }
    ::ioctl(tty, VT_SETMODE, &mode);
}

// Async-signal-safe only: the parent may have had threads when it forked.
[[noreturn]] void guard(int tty, int control, int viewer, const VtState& state) {
    // Its own session: a signal to the viewer's process group (Ctrl+C, timeout(1), a closing
    // terminal) must not end the guardian before the viewer is gone.
    ::setsid();
    struct sigaction ignore {};
    ignore.sa_handler = SIG_IGN;
    for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGUSR1, SIGUSR2})
        ::sigaction(sig, &ignore, nullptr);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    // Move the three fds out of the way, onto 0..2, and close every other one: above all the
    // DRM fd, so the viewer's death drops DRM master and the kernel restores fbcon.
    tty = ::fcntl(tty, F_DUPFD, 10);
    control = ::fcntl(control, F_DUPFD, 10);
    viewer = viewer >= 0 ? ::fcntl(viewer, F_DUPFD, 10) : -1;
    ::dup2(tty, child_tty);
    ::dup2(control, child_control);
    if (viewer >= 0)
        ::dup2(viewer, child_viewer);
    else
        ::close(child_viewer);
    ::close_range(3, ~0U, 0);

    pollfd fds[2] = {{child_control, POLLIN, 0}, {child_viewer, POLLIN, 0}};
    const nfds_t n = viewer >= 0 ? 2 : 1;
    for (;;) {
        if (::poll(fds, n, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        if (fds[0].revents) {
            char byte = 0;
            const ssize_t got = ::read(child_control, &byte, 1);
            if (got < 0 && errno == EINTR)
                continue;
            if (got == 1 && byte == dismiss_byte)
                ::_exit(0);
            break; // EOF: the viewer is gone (or closed the pipe without dismissing)
        }
        if (fds[1].revents)
            break; // the pidfd: the viewer exited
    }
    restore_vt(child_tty, state);
    ::_exit(0);
}

} // namespace

Result<VtGuardian> VtGuardian::start(int tty_fd, const VtState& restore_to) {
    int pipe_fds[2];
    if (::pipe2(pipe_fds, O_CLOEXEC) != 0)
        return Error::from_errno(errno, "kms: pipe for the console guardian failed");
    UniqueFd read_end(pipe_fds[0]), write_end(pipe_fds[1]);
    // A pidfd of the viewer tells the guardian of its death even when a child of the viewer
    // still holds the pipe's write end; without pidfds (Linux < 5.3) the pipe's EOF does.
    UniqueFd viewer(int(::syscall(SYS_pidfd_open, ::getpid(), 0)));
    const pid_t pid = ::fork();
    if (pid < 0)
        return Error::from_errno(errno, "kms: forking the console guardian failed");
    if (pid == 0)
        guard(tty_fd, read_end.get(), viewer.get(), restore_to);
    VtGuardian g;
    g.pid_ = pid;
    g.control_ = std::move(write_end);
    return g;
}

VtGuardian::VtGuardian(VtGuardian&& other) noexcept
    : pid_(std::exchange(other.pid_, -1))
    , control_(std::move(other.control_)) {}

VtGuardian& VtGuardian::operator=(VtGuardian&& other) noexcept {
    if (this != &other) {
        dismiss();
        pid_ = std::exchange(other.pid_, -1);
        control_ = std::move(other.control_);
    }
    return *this;
}

void VtGuardian::dismiss() {
    if (pid_ <= 0)
        return;
    const char byte = dismiss_byte;
    while (::write(control_.get(), &byte, 1) < 0 && errno == EINTR) {
    }
    control_.reset();
    while (::waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
}

} // namespace udmaview::kms
