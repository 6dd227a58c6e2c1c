// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <deque>
#include <mutex>

#include "sources/qemu/console_proxy.h"
#include "sources/qemu/qemu_options.h"
#include "sources/qemu/qemu_report.h"
#include "udmaview/frame.h"
#include "udmaview/input.h"

namespace udmaview::qemu {

// Keyboard and mouse from the output, sent to QEMU's Keyboard/Mouse interfaces of our console:
// Linux key codes become PC scancodes, pointer positions are clamped to the picture and sent
// as absolute or relative motion, whichever the guest's pointer is. Events are queued on the
// presenter's thread and sent on the GLib thread; nothing is sent while no session is attached.
class InputForwarder {
public:
    InputForwarder(const QemuOptions& options, StatsCounter& stats)
        : opt_(options)
        , stats_(stats) {}

    // Any thread.
    void queue(const InputEvent& event);
    // The GLib thread: sends everything queued; shown is the picture pointers are clamped to.
    void flush(const Layout* shown);

    void attach(const ConsoleProxy& console, bool mouse_absolute) {
        console_ = &console;
        absolute_ = mouse_absolute;
    }
    void detach() { console_ = nullptr; }
    void on_console_change(const ConsoleChange& change) {
        if (change.mouse_absolute)
            absolute_ = *change.mouse_absolute;
    }

private:
    void send(const InputEvent& event, const Layout* shown);
    void move_to(int32_t x, int32_t y, int32_t dx, int32_t dy, const Layout* shown);
    void call(const char* interface, const char* method, GVariant* args);

    const QemuOptions& opt_;
    StatsCounter& stats_;
    std::mutex mutex_;
    std::deque<InputEvent> pending_;
    const ConsoleProxy* console_ = nullptr; // the attached session's
    bool absolute_ = false;
    int32_t last_x_ = 0, last_y_ = 0; // last absolute pointer position sent
};

} // namespace udmaview::qemu
