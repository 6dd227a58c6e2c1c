// SPDX-License-Identifier: MIT
// Keyboards from evdev (/dev/input/event*): key events with Linux key codes for the source,
// plus the output's own chords (escape to quit, Ctrl+Alt+Fn to switch VT).
#pragma once

#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "outputs/kms/device_node.h"
#include "udmaview/input.h"
#include "udmaview/unique_fd.h"

namespace udmaview::kms {

// What a key event means to the output.
enum class KeyAction {
    Forward,
    Swallow,
    Quit,
    SwitchVt,
    ToggleHud,
    FocusPrev,
    FocusNext,
    ToggleTiles
};

// Tracks Ctrl and Alt; the escape chord is Ctrl+Alt+Q (documented in docs/kms.md), and
// Ctrl+Alt+F1..F12 switch VTs, Ctrl+Alt+H toggles the --hud overlay (with several sources
// Ctrl+Alt+Left/Right/L move the focus and switch the layout). Chord keys are not
// forwarded to the source.
class KeyChords {
public:
    // vt: set to 1..12 for SwitchVt.
    KeyAction feed(const KeyEvent& key, int& vt);
    // Several sources: Ctrl+Alt+Left/Right move the focus, Ctrl+Alt+L switches the layout.
    void enable_tile_keys() { tile_keys_ = true; }

private:
    bool tile_keys_ = false;
    bool ctrl_l_ = false, ctrl_r_ = false, alt_l_ = false, alt_r_ = false;
    std::set<uint16_t> swallowed_; // chord keys pressed; their release is not forwarded
};

class EvdevKeyboards {
public:
    // Opens every /dev/input/event* that has letter keys (non-blocking, not grabbed), directly
    // or through opener (a seat).
    static EvdevKeyboards open_all(const DeviceOpener& opener = {},
                                   const std::string& dir = "/dev/input");
    const std::vector<DeviceNode>& fds() const { return fds_; }
    const std::vector<std::string>& names() const { return names_; }
    bool empty() const { return fds_.empty(); }
    // Reads what is queued on fd; calls on_key for key presses and releases (not repeats).
    // False when the device went away.
    static bool read(int fd, const std::function<void(const KeyEvent&)>& on_key);

private:
    std::vector<DeviceNode> fds_;
    std::vector<std::string> names_;
};

} // namespace udmaview::kms
