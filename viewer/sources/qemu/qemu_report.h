// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <iostream>
#include <mutex>
#include <string>

#include "udmaview/cursor.h"
#include "udmaview/error.h"
#include "udmaview/event_queue.h"
#include "udmaview/frame.h"
#include "udmaview/wanted_size.h"

namespace udmaview::qemu {

// What the source did, for tests and the closing summary.
struct QemuStats {
    uint64_t scanouts = 0, updates = 0, bytes_copied = 0;
    uint64_t dmabuf_scanouts = 0, dmabuf_updates = 0;
    uint64_t map_scanouts = 0, map_updates = 0; // ScanoutMap/UpdateMap accepted
    uint64_t rejected = 0, surfaces = 0, sessions = 0, inputs_sent = 0;
    uint64_t keys_sent = 0; // the Keyboard calls among inputs_sent
    // SetUIInfo calls and the last size sent; the guest's picture size, how often it changed
    // (after the first picture) and how often a size sent was not taken.
    uint64_t ui_info_calls = 0, ui_info_width = 0, ui_info_height = 0;
    uint64_t guest_size_changes = 0, guest_width = 0, guest_height = 0, guest_size_ignored = 0;
};

// The counters: written on the GLib thread, read on the presenter's.
class StatsCounter {
public:
    template <typename F> void update(F f) {
        std::lock_guard lock(mutex_);
        f(stats_);
    }
    QemuStats get() const {
        std::lock_guard lock(mutex_);
        return stats_;
    }

private:
    mutable std::mutex mutex_;
    QemuStats stats_;
};

// One thing for the presenter, queued on the GLib thread and handed over by dispatch().
struct QemuEvent {
    enum class Kind { Frame, Retire, Cursor, End, SizeRefused };
    Kind kind;
    Frame frame;
    BufferId retired = 0;
    CursorState cursor;
    Status status;
    WantedSize refused = {}; // SizeRefused: the size the guest did not take
};
using QemuEvents = EventQueue<QemuEvent>;

// Every line the source prints starts with "qemu: " (tests count "qemu: rejected").
inline void log_line(const std::string& text) {
    std::cerr << ("qemu: " + text + "\n"); // one write: other threads print lines too
}

} // namespace udmaview::qemu
