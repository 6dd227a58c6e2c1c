// SPDX-License-Identifier: MIT
// A small child process that gives the console back when the viewer dies without doing it
// itself (SIGKILL, the OOM killer, a crash): it holds only the tty, waits for the viewer's
// death and then sets text mode, the saved keyboard mode and automatic VT switching, as
// weston-launch did. The DRM fd is not kept: the kernel restores fbcon's framebuffer when the
// viewer's DRM file closes, and the text mode makes fbcon draw onto it again.
//
// Used when no seat manager does this (root on a VT, libseat's builtin backend); seatd and
// logind restore the VT of a dead client themselves.
#pragma once

#include <sys/types.h>

#include <linux/vt.h>

#include "udmaview/error.h"
#include "udmaview/unique_fd.h"

namespace udmaview::kms {

// The VT state to go back to.
struct VtState {
    int kd_mode = 0;  // KD_TEXT or KD_GRAPHICS
    int kb_mode = -1; // K_XLATE, K_UNICODE, …; -1: leave as it is
    vt_mode vt{};     // VT_AUTO or someone else's VT_PROCESS
};

class VtGuardian {
public:
    VtGuardian() = default;
    // Forks the guardian over tty_fd. The child only makes system calls (no allocation, no
    // locks), so forking is safe even after other threads exist.
    static Result<VtGuardian> start(int tty_fd, const VtState& restore_to);
    VtGuardian(VtGuardian&& other) noexcept;
    VtGuardian& operator=(VtGuardian&& other) noexcept;
    VtGuardian(const VtGuardian&) = delete;
    VtGuardian& operator=(const VtGuardian&) = delete;
    ~VtGuardian() { dismiss(); }

    explicit operator bool() const { return pid_ > 0; }
    pid_t pid() const { return pid_; }
    // The viewer restored the VT itself: the guardian exits without touching it (a later
    // program may own the VT by then), and is reaped here.
    void dismiss();

private:
    pid_t pid_ = -1;
    UniqueFd control_; // write end: one byte dismisses; EOF (or the viewer's death) restores
};

} // namespace udmaview::kms
