// SPDX-License-Identifier: MIT
// When a committed frame reached the screen: wp_presentation feedback where the compositor
// offers it (its own clock and flags: vsync, hardware clock, hardware completion, zero copy),
// else the surface's frame callback, which says only that the compositor drew - counted
// apart so the timing report does not pass one off as the other. The frame callback also
// paces the commits: the next frame goes when the compositor is ready for it, which comes
// before the previous one's presentation event.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <utility>

#include "outputs/wayland/wayland_connection.h"

namespace udmaview::wl {

struct Presented {
    uint64_t seq = 0;
    uint64_t presented_ns = 0; // CLOCK_MONOTONIC (clock.h); 0: discarded
};

class FrameFeedback {
public:
    explicit FrameFeedback(WaylandConnection& conn)
        : conn_(conn) {}
    ~FrameFeedback();
    FrameFeedback(const FrameFeedback&) = delete;
    FrameFeedback& operator=(const FrameFeedback&) = delete;

    // Asks for the feedback of the next commit of surface, which shows frame seq.
    void request(wl_surface* surface, uint64_t seq);
    // The compositor has not asked for the next frame yet (its frame callback).
    bool pending() const { return throttle_ != nullptr; }
    // The answers that arrived, oldest first.
    std::deque<Presented> take() { return std::exchange(done_, {}); }

    struct Counts {
        uint64_t presented = 0, discarded = 0, frame_callbacks = 0;
        uint64_t vsync = 0, hw_clock = 0, hw_completion = 0, zero_copy = 0;
    };
    const Counts& counts() const { return counts_; }
    bool presentation() const { return conn_.presentation() != nullptr; }

private:
    struct Waiting {
        FrameFeedback* owner = nullptr;
        uint64_t seq = 0;
        struct wp_presentation_feedback* feedback = nullptr;
        wl_callback* callback = nullptr;
    };
    static void on_sync_output(void*, struct wp_presentation_feedback*, wl_output*) {}
    static void on_presented(void* data, struct wp_presentation_feedback*, uint32_t sec_hi,
                             uint32_t sec_lo, uint32_t nsec, uint32_t refresh, uint32_t seq_hi,
                             uint32_t seq_lo, uint32_t flags);
    static void on_discarded(void* data, struct wp_presentation_feedback*);
    static void on_frame_done(void* data, wl_callback*, uint32_t time_ms);
    static void on_ready(void* data, wl_callback*, uint32_t time_ms);
    void finish(Waiting* w, uint64_t presented_ns);
    uint64_t to_monotonic(uint64_t compositor_ns) const;

    WaylandConnection& conn_;
    std::deque<std::unique_ptr<Waiting>> waiting_;
    wl_callback* throttle_ = nullptr; // the frame callback of the latest commit
    std::deque<Presented> done_;
    Counts counts_;
};

} // namespace udmaview::wl
