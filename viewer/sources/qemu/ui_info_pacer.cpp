// SPDX-License-Identifier: MIT
#include "sources/qemu/ui_info_pacer.h"

#include <algorithm>

namespace udmaview::qemu {

void UiInfoPacer::want(const WantedSize& size, uint64_t now) {
    if (disabled_ || size.width == 0 || size.height == 0)
        return;
    if (pending_ && *pending_ == size)
        return;
    if (!pending_)
        burst_ns_ = now;
    pending_ = size;
    changed_ns_ = now;
}

uint64_t UiInfoPacer::send_time() const {
    return std::min(changed_ns_ + timing_.quiet_ns, burst_ns_ + timing_.min_gap_ns);
}

std::optional<WantedSize> UiInfoPacer::due(uint64_t now) {
    if (!pending_ || now < send_time())
        return std::nullopt;
    const WantedSize size = *pending_;
    pending_.reset();
    if (sent_ && *sent_ == size)
        return std::nullopt;
    sent_ = size;
    burst_ns_ = now;
    // A guest already at that size sends no new picture: nothing to wait for.
    if (size.width == guest_w_ && size.height == guest_h_) {
        awaiting_.reset();
    } else {
        awaiting_ = size;
        answer_by_ns_ = now + timing_.answer_ns;
    }
    return size;
}

void UiInfoPacer::guest_size(uint32_t width, uint32_t height) {
    guest_w_ = width;
    guest_h_ = height;
    if (awaiting_ && awaiting_->width == width && awaiting_->height == height)
        awaiting_.reset();
}

std::optional<WantedSize> UiInfoPacer::ignored(uint64_t now) {
    if (!awaiting_ || now < answer_by_ns_)
        return std::nullopt;
    std::optional<WantedSize> size = awaiting_;
    awaiting_.reset();
    return size;
}

void UiInfoPacer::disable() {
    disabled_ = true;
    pending_.reset();
    awaiting_.reset();
}

uint64_t UiInfoPacer::next_deadline() const {
    uint64_t next = 0;
    if (pending_)
        next = send_time();
    if (awaiting_ && (!next || answer_by_ns_ < next))
        next = answer_by_ns_;
    return next;
}

void UiInfoPacer::reset() {
    pending_.reset();
    sent_.reset();
    awaiting_.reset();
    disabled_ = false;
}

} // namespace udmaview::qemu
