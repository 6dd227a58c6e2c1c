// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>

namespace udmaview {

// CLOCK_MONOTONIC in nanoseconds: the one clock every timestamp in udmaview uses (it is also
// the clock of DRM page-flip events and of QEMU's own timers).
uint64_t now_ns();

} // namespace udmaview
