// SPDX-License-Identifier: MIT
#include "outputs/wayland/frame_feedback.h"

#include <ctime>

#include "udmaview/clock.h"

namespace udmaview::wl {

namespace {

uint64_t clock_ns(clockid_t clock) {
    timespec ts{};
    clock_gettime(clock, &ts);
    return uint64_t(ts.tv_sec) * 1000000000ull + uint64_t(ts.tv_nsec);
}

} // namespace

FrameFeedback::~FrameFeedback() {
    if (throttle_)
        wl_callback_destroy(throttle_);
    for (auto& w : waiting_) {
        if (w->feedback)
            wp_presentation_feedback_destroy(w->feedback);
        if (w->callback)
            wl_callback_destroy(w->callback);
    }
}

void FrameFeedback::request(wl_surface* surface, uint64_t seq) {
    auto w = std::make_unique<Waiting>();
    w->owner = this;
    w->seq = seq;
    if (conn_.presentation()) {
        static const wp_presentation_feedback_listener listener = {
            .sync_output = &FrameFeedback::on_sync_output,
            .presented = &FrameFeedback::on_presented,
            .discarded = &FrameFeedback::on_discarded,
        };
        w->feedback = wp_presentation_feedback(conn_.presentation(), surface);
        wp_presentation_feedback_add_listener(w->feedback, &listener, w.get());
        static const wl_callback_listener ready = {.done = &FrameFeedback::on_ready};
        if (throttle_)
            wl_callback_destroy(throttle_);
        throttle_ = wl_surface_frame(surface);
        wl_callback_add_listener(throttle_, &ready, this);
    } else {
        static const wl_callback_listener listener = {.done = &FrameFeedback::on_frame_done};
        w->callback = wl_surface_frame(surface);
        wl_callback_add_listener(w->callback, &listener, w.get());
        throttle_ = w->callback; // finish() lets go of it
    }
    waiting_.push_back(std::move(w));
}

uint64_t FrameFeedback::to_monotonic(uint64_t compositor_ns) const {
    const clockid_t clock = conn_.presentation_clock();
    if (clock == CLOCK_MONOTONIC)
        return compositor_ns;
    // Another clock (CLOCK_MONOTONIC_RAW, …): carried over by the two clocks' offset now.
    const int64_t offset = int64_t(now_ns()) - int64_t(clock_ns(clock));
    return uint64_t(int64_t(compositor_ns) + offset);
}

void FrameFeedback::on_presented(void* data, struct wp_presentation_feedback*, uint32_t sec_hi,
                                 uint32_t sec_lo, uint32_t nsec, uint32_t, uint32_t, uint32_t,
                                 uint32_t flags) {
    auto* w = static_cast<Waiting*>(data);
    Counts& c = w->owner->counts_;
    ++c.presented;
    c.vsync += (flags & WP_PRESENTATION_FEEDBACK_KIND_VSYNC) ? 1 : 0;
    c.hw_clock += (flags & WP_PRESENTATION_FEEDBACK_KIND_HW_CLOCK) ? 1 : 0;
    c.hw_completion += (flags & WP_PRESENTATION_FEEDBACK_KIND_HW_COMPLETION) ? 1 : 0;
    c.zero_copy += (flags & WP_PRESENTATION_FEEDBACK_KIND_ZERO_COPY) ? 1 : 0;
    const uint64_t sec = (uint64_t(sec_hi) << 32) | sec_lo;
    w->owner->finish(w, w->owner->to_monotonic(sec * 1000000000ull + nsec));
}

void FrameFeedback::on_discarded(void* data, struct wp_presentation_feedback*) {
    auto* w = static_cast<Waiting*>(data);
    ++w->owner->counts_.discarded;
    w->owner->finish(w, 0);
}

void FrameFeedback::on_frame_done(void* data, wl_callback*, uint32_t) {
    auto* w = static_cast<Waiting*>(data);
    ++w->owner->counts_.frame_callbacks;
    // The callback's own time has no defined clock or meaning beyond "drawn": ours, now.
    w->owner->finish(w, now_ns());
}

void FrameFeedback::on_ready(void* data, wl_callback* callback, uint32_t) {
    auto* self = static_cast<FrameFeedback*>(data);
    wl_callback_destroy(callback);
    if (self->throttle_ == callback)
        self->throttle_ = nullptr;
}

void FrameFeedback::finish(Waiting* w, uint64_t presented_ns) {
    if (w->feedback)
        wp_presentation_feedback_destroy(w->feedback);
    if (w->callback) {
        if (throttle_ == w->callback)
            throttle_ = nullptr;
        wl_callback_destroy(w->callback);
    }
    done_.push_back({w->seq, presented_ns});
    for (auto it = waiting_.begin(); it != waiting_.end(); ++it)
        if (it->get() == w) {
            waiting_.erase(it); // w is gone after this line
            break;
        }
}

} // namespace udmaview::wl
