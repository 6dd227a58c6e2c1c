// SPDX-License-Identifier: MIT
#include "console_commands.h"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <iostream>
#include <linux/kd.h>
#include <linux/vt.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <xf86drm.h>

#include "check_support.h"
#include "udmaview/unique_fd.h"

namespace udmaview::vmcheck {

int run_compare(const std::string& a, const std::string& b, uint64_t max_diff,
                const std::optional<std::pair<int32_t, int32_t>>& at) {
    Result<RgbaImage> ia = read_png(a), ib = read_png(b);
    if (!ia || !ib) {
        std::cerr << "compare: " << (!ia ? ia.error().message : ib.error().message) << "\n";
        return 2;
    }
    if (at) { // b is a piece of a: the whole of b must lie inside a
        if (at->first < 0 || at->second < 0 || uint64_t(at->first) + ib->width > ia->width ||
            uint64_t(at->second) + ib->height > ia->height) {
            std::cout << "compare: " << ib->width << "x" << ib->height << " at " << at->first << ","
                      << at->second << " does not fit in " << ia->width << "x" << ia->height
                      << "\n";
            return 1;
        }
        const Diff d = diff(*ib, *ia, at->first, at->second);
        std::cout << "compare: " << d.pixels << " pixels differ in " << d.bounds.to_string()
                  << "\n";
        return d.pixels <= max_diff ? 0 : 1;
    }
    if (ia->width != ib->width || ia->height != ib->height) {
        std::cout << "compare: sizes differ: " << ia->width << "x" << ia->height << " vs "
                  << ib->width << "x" << ib->height << "\n";
        return 1;
    }
    const Diff d = diff(*ia, *ib);
    std::cout << "compare: " << d.pixels << " pixels differ in " << d.bounds.to_string() << "\n";
    return d.pixels <= max_diff ? 0 : 1;
}

// The KD mode, keyboard mode and VT mode of the active VT, one line (compared before/after).
int run_lit(const std::string& png, const Rect& rect, uint64_t min) {
    Result<RgbaImage> img = read_png(png);
    if (!img) {
        std::cerr << "lit: " << img.error().message << "\n";
        return 2;
    }
    const Rect r = rect.intersect(Rect{0, 0, int32_t(img->width), int32_t(img->height)});
    uint64_t lit = 0;
    for (int32_t y = r.y; y < r.bottom(); ++y)
        for (int32_t x = r.x; x < r.right(); ++x) {
            const uint8_t* p = img->at(uint32_t(x), uint32_t(y));
            lit += (p[0] | p[1] | p[2]) ? 1 : 0;
        }
    std::cout << "lit: " << lit << " of " << r.area() << " pixels in " << r.to_string()
              << " are not black\n";
    return lit >= min ? 0 : 1;
}

int run_console_state() {
    UniqueFd tty0(::open("/dev/tty0", O_RDWR | O_NOCTTY | O_CLOEXEC));
    vt_stat st{};
    if (!tty0 || ::ioctl(tty0.get(), VT_GETSTATE, &st) != 0) {
        std::cerr << "console-state: no /dev/tty0: " << std::strerror(errno) << "\n";
        return 1;
    }
    const std::string name = "/dev/tty" + std::to_string(st.v_active);
    UniqueFd tty(::open(name.c_str(), O_RDWR | O_NOCTTY | O_CLOEXEC));
    int kd = -1, kb = -1;
    vt_mode vm{};
    if (!tty || ::ioctl(tty.get(), KDGETMODE, &kd) != 0 ||
        ::ioctl(tty.get(), KDGKBMODE, &kb) != 0 || ::ioctl(tty.get(), VT_GETMODE, &vm) != 0) {
        std::cerr << "console-state: " << name << ": " << std::strerror(errno) << "\n";
        return 1;
    }
    std::cout << name << " kd "
              << (kd == KD_TEXT       ? "text"
                  : kd == KD_GRAPHICS ? "graphics"
                                      : "?")
              << " kb " << kb << " vt " << (vm.mode == VT_AUTO ? "auto" : "process") << "\n";
    return 0;
}

// Switches to VT n (as Ctrl+Alt+Fn would) and waits until it is active.
int run_activate(int n) {
    UniqueFd tty0(::open("/dev/tty0", O_RDWR | O_NOCTTY | O_CLOEXEC));
    if (!tty0 || ::ioctl(tty0.get(), VT_ACTIVATE, n) != 0 ||
        ::ioctl(tty0.get(), VT_WAITACTIVE, n) != 0) {
        std::cerr << "activate: VT " << n << ": " << std::strerror(errno) << "\n";
        return 1;
    }
    return 0;
}

int run_hold_master(const std::string& device, int seconds) {
    UniqueFd fd(::open(device.c_str(), O_RDWR | O_CLOEXEC));
    if (!fd || (!drmIsMaster(fd.get()) && drmSetMaster(fd.get()) != 0)) {
        std::cerr << "hold-master: cannot be master of " << device << ": " << std::strerror(errno)
                  << "\n";
        return 1;
    }
    std::cout << "holding DRM master of " << device << std::endl;
    ::sleep(unsigned(seconds));
    return 0;
}

int run_kill_wait_console(int pid, int vt, int timeout_ms) {
    const std::string name = "/dev/tty" + std::to_string(vt);
    UniqueFd tty(::open(name.c_str(), O_RDWR | O_NOCTTY | O_CLOEXEC));
    if (!tty) {
        std::cerr << "kill-wait-console: " << name << ": " << std::strerror(errno) << "\n";
        return 2;
    }
    const auto t0 = std::chrono::steady_clock::now();
    if (::kill(pid, SIGKILL) != 0) {
        std::cerr << "kill-wait-console: kill " << pid << ": " << std::strerror(errno) << "\n";
        return 2;
    }
    for (;;) {
        const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::steady_clock::now() - t0)
                            .count();
        int kd = -1, kb = -1;
        vt_mode vm{};
        if (::ioctl(tty.get(), KDGETMODE, &kd) == 0 && ::ioctl(tty.get(), KDGKBMODE, &kb) == 0 &&
            ::ioctl(tty.get(), VT_GETMODE, &vm) == 0 && kd == KD_TEXT && kb != K_OFF) {
            std::cout << ms << "\n";
            return 0;
        }
        if (ms > timeout_ms) {
            std::cout << "not restored after " << ms << " ms: kd " << kd << " kb " << kb << " vt "
                      << int(vm.mode) << "\n";
            return 1;
        }
        ::usleep(5000);
    }
}

} // namespace udmaview::vmcheck
