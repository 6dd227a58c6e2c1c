// SPDX-License-Identifier: MIT
// The console's input: the evdev keyboards with the output's chords, behind the narrow seam
// KmsConsole uses (open, close, read one readable fd), so that another input stack (libinput,
// with pointers) can take its place without the console changing.
#pragma once

#include <functional>

#include "outputs/kms/device_node.h"
#include "outputs/kms/evdev_keyboard.h"
#include "udmaview/input.h"

namespace udmaview::kms {

class ConsoleKeyboards {
public:
    // tile_keys: several sources, so Ctrl+Alt+Left/Right/L are chords.
    explicit ConsoleKeyboards(bool tile_keys);

    // Opens every keyboard (directly or through opener) and adds its fd to epoll_fd. False:
    // none was found.
    bool open(const DeviceOpener& opener, int epoll_fd);
    // Takes the fds out of epoll_fd (a seat manager holds the same open files, so closing
    // ours would not remove them) and closes them.
    void close(int epoll_fd);
    // For each key press or release queued on fd: what it means (vt: 1..12 for SwitchVt).
    using OnKey = std::function<void(const KeyEvent& key, KeyAction action, int vt)>;
    // fd went away: it leaves epoll_fd.
    void read(int fd, int epoll_fd, const OnKey& on_key);

private:
    EvdevKeyboards keyboards_;
    KeyChords chords_;
};

} // namespace udmaview::kms
