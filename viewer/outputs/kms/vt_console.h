// SPDX-License-Identifier: MIT
// Ownership of the virtual terminal while the KMS output shows frames: graphics mode (fbcon
// stops drawing), VT_PROCESS switching (the kernel asks before switching away and tells when
// it switches back), optionally the keyboard off (keys then come from evdev only), and the
// restore of all of it: by the viewer on every exit path, by a guardian process when the
// viewer dies without getting there. Used only without a seat manager (root on a VT): under
// seatd or logind the manager does all of this (seat.h); libseat's builtin backend is not
// used instead, because nothing would restore the VT after a SIGKILL (kms_console_seat.cpp).
#pragma once

#include <csignal>
#include <memory>
#include <string>

#include <linux/vt.h>

#include "outputs/kms/vt_guardian.h"
#include "udmaview/error.h"
#include "udmaview/unique_fd.h"

namespace udmaview::kms {

class VtConsole {
public:
    // The VT on stdin when stdin is one, else the active VT (through /dev/tty0). nullptr
    // (and a note) when there is no VT at all (serial console, container).
    // A VT already in graphics mode is refused, unless take_over: the caller holds DRM master
    // of the card, so no program draws there and the VT was left so by one that died; it is
    // reset and taken. card: named in the messages.
    static Result<std::unique_ptr<VtConsole>> take(std::string& note, const std::string& card,
                                                   bool take_over);
    ~VtConsole() { restore(); }
    VtConsole(const VtConsole&) = delete;
    VtConsole& operator=(const VtConsole&) = delete;

    const std::string& name() const { return name_; } // "/dev/tty1"
    // Readable when the kernel asks to release the VT or gives it back.
    int signal_fd() const { return signal_fd_.get(); }
    enum class Event { None, Release, Acquire };
    Event read_event();
    void ack_release();
    void ack_acquire();
    // Switches to VT n (Ctrl+Alt+Fn seen on evdev while the keyboard is off).
    void activate(int n);
    // K_OFF: the console ignores the keyboard (evdev delivers keys; Ctrl+C does not kill).
    void keyboard_off();
    // Back to text mode, automatic switching, the old keyboard mode and signal mask. Safe to
    // call twice.
    void restore();

private:
    VtConsole() = default;
    UniqueFd tty_;
    UniqueFd signal_fd_;
    std::string name_;
    VtGuardian guardian_;
    int old_kd_mode_ = 0;
    int old_kb_mode_ = -1;
    bool kb_changed_ = false;
    vt_mode old_vt_mode_{};
    sigset_t old_mask_{};
    bool active_ = false;
};

} // namespace udmaview::kms
