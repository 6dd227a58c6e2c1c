// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <optional>

#include "udmaview/wanted_size.h"

namespace udmaview::qemu {

// When to tell QEMU the size the output wants (Console.SetUIInfo), on a clock the caller
// passes in: a window being dragged asks for a new size every few milliseconds and each call
// makes the guest reconfigure its display, so sizes are sent after quiet_ns without a new
// one, at most every min_gap_ns while they keep changing, and never the same size twice in a
// row. After a call it waits answer_ns for the guest's picture to take that size; a guest
// that does not is reported once per call (ignored()).
class UiInfoPacer {
public:
    struct Timing {
        uint64_t quiet_ns = 200'000'000;
        uint64_t min_gap_ns = 500'000'000;
        uint64_t answer_ns = 10'000'000'000;
    };
    UiInfoPacer() = default;
    explicit UiInfoPacer(Timing timing)
        : timing_(timing) {}

    // The output wants this size now.
    void want(const WantedSize& size, uint64_t now);
    // The size to send now, if one is due; it counts as sent.
    std::optional<WantedSize> due(uint64_t now);
    // The guest's picture has this size (every frame may say so).
    void guest_size(uint32_t width, uint32_t height);
    // The size sent last that the guest has not taken within answer_ns of the call, once.
    std::optional<WantedSize> ignored(uint64_t now);
    // The console cannot take sizes at all: nothing is sent or waited for from now on.
    void disable();
    // The next time due() or ignored() may have something (0: nothing is pending).
    uint64_t next_deadline() const;
    // A new session: QEMU knows nothing of what was sent before.
    void reset();

private:
    uint64_t send_time() const;

    Timing timing_;
    std::optional<WantedSize> pending_;
    uint64_t changed_ns_ = 0; // when pending_ was last set
    uint64_t burst_ns_ = 0;   // when the current run of changes began or last sent
    std::optional<WantedSize> sent_;
    std::optional<WantedSize> awaiting_;
    uint64_t answer_by_ns_ = 0;
    uint32_t guest_w_ = 0, guest_h_ = 0;
    bool disabled_ = false;
};

} // namespace udmaview::qemu
