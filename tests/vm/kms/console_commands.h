// SPDX-License-Identifier: MIT
// kms_vm_check's small commands: compare two PNGs, count lit pixels, report or switch the console's
// VT state, hold DRM master (for the bad-cases test), time a console's recovery from SIGKILL.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "udmaview/region.h"

namespace udmaview::vmcheck {

// 0 when A and B have the same size and at most max_diff pixels differ; with at: B is compared
// with the piece of A of B's size at (x, y).
int run_compare(const std::string& a, const std::string& b, uint64_t max_diff,
                const std::optional<std::pair<int32_t, int32_t>>& at = std::nullopt);
// kms_vm_check lit PNG X Y W H MIN: at least MIN pixels of that rect are not black (prints
// the count; e.g. an overlay drawn over a black letterbox).
int run_lit(const std::string& png, const Rect& rect, uint64_t min);
int run_console_state();
int run_activate(int n);
int run_hold_master(const std::string& device, int seconds);
// Sends SIGKILL to pid, then polls VT n every 5 ms until it is in text mode with the keyboard
// on (not K_OFF); prints the milliseconds that took. 1 after timeout_ms. (The VT mode is not
// required: seatd keeps VT_PROCESS while it runs; the callers compare it where it matters.)
int run_kill_wait_console(int pid, int vt, int timeout_ms);

} // namespace udmaview::vmcheck
