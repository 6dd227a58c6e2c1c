// SPDX-License-Identifier: MIT
#include "outputs/kms/evdev_keyboard.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <climits>
#include <fcntl.h>
#include <filesystem>
#include <linux/input.h>
#include <sys/ioctl.h>
#include <unistd.h>

namespace udmaview::kms {

namespace {

constexpr size_t key_bytes = (KEY_MAX + CHAR_BIT) / CHAR_BIT;

bool has_bit(const std::array<uint8_t, key_bytes>& bits, unsigned bit) {
    return bits[bit / CHAR_BIT] & (1u << (bit % CHAR_BIT));
}

} // namespace

KeyAction KeyChords::feed(const KeyEvent& key, int& vt) {
    switch (key.code) {
    case KEY_LEFTCTRL:
        ctrl_l_ = key.pressed;
        return KeyAction::Forward;
    case KEY_RIGHTCTRL:
        ctrl_r_ = key.pressed;
        return KeyAction::Forward;
    case KEY_LEFTALT:
        alt_l_ = key.pressed;
        return KeyAction::Forward;
    case KEY_RIGHTALT:
        alt_r_ = key.pressed;
        return KeyAction::Forward;
    default:
        break;
    }
    // The release of a chord key was not forwarded either (the source never saw its press).
    if (!key.pressed && swallowed_.erase(key.code))
        return KeyAction::Swallow;
    if (!(ctrl_l_ || ctrl_r_) || !(alt_l_ || alt_r_) || !key.pressed)
        return KeyAction::Forward;
    if (key.code == KEY_Q) {
        swallowed_.insert(key.code);
        return KeyAction::Quit;
    }
    if (key.code == KEY_H) {
        swallowed_.insert(key.code);
        return KeyAction::ToggleHud;
    }
    if (tile_keys_ && (key.code == KEY_LEFT || key.code == KEY_RIGHT || key.code == KEY_L)) {
        swallowed_.insert(key.code);
        return key.code == KEY_L      ? KeyAction::ToggleTiles
               : key.code == KEY_LEFT ? KeyAction::FocusPrev
                                      : KeyAction::FocusNext;
    }
    int n = 0;
    if (key.code >= KEY_F1 && key.code <= KEY_F10)
        n = key.code - KEY_F1 + 1;
    else if (key.code == KEY_F11)
        n = 11;
    else if (key.code == KEY_F12)
        n = 12;
    if (!n)
        return KeyAction::Forward;
    vt = n;
    swallowed_.insert(key.code);
    return KeyAction::SwitchVt;
}

EvdevKeyboards EvdevKeyboards::open_all(const DeviceOpener& opener, const std::string& dir) {
    EvdevKeyboards out;
    std::vector<std::string> paths;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec))
        if (entry.path().filename().string().rfind("event", 0) == 0)
            paths.push_back(entry.path().string());
    std::sort(paths.begin(), paths.end());
    for (const std::string& path : paths) {
        DeviceNode fd;
        if (opener) {
            Result<DeviceNode> node = opener(path);
            if (!node)
                continue;
            fd = std::move(*node);
            ::fcntl(fd.get(), F_SETFL, ::fcntl(fd.get(), F_GETFL) | O_NONBLOCK);
        } else {
            fd = DeviceNode(UniqueFd(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC)), {});
        }
        if (!fd)
            continue;
        std::array<uint8_t, key_bytes> keys{};
        if (::ioctl(fd.get(), EVIOCGBIT(EV_KEY, sizeof keys), keys.data()) < 0)
            continue;
        if (!has_bit(keys, KEY_A) || !has_bit(keys, KEY_Q) || !has_bit(keys, KEY_LEFTCTRL))
            continue;
        out.fds_.push_back(std::move(fd));
        out.names_.push_back(path);
    }
    return out;
}

bool EvdevKeyboards::read(int fd, const std::function<void(const KeyEvent&)>& on_key) {
    input_event events[64];
    for (;;) {
        const ssize_t n = ::read(fd, events, sizeof events);
        if (n < 0)
            return errno == EAGAIN || errno == EINTR;
        if (n == 0)
            return false;
        for (size_t i = 0; i < size_t(n) / sizeof events[0]; ++i) {
            const input_event& ev = events[i];
            if (ev.type != EV_KEY || ev.value == 2) // 2: autorepeat
                continue;
            on_key(KeyEvent{ev.code, ev.value != 0});
        }
    }
}

} // namespace udmaview::kms
