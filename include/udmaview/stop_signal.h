// SPDX-License-Identifier: MIT
#pragma once

namespace udmaview {

// The presenter blocks SIGINT/SIGTERM/SIGHUP and reads them from a signalfd, which nobody
// reads while an output's finish() holds the last frame on screen: such a wait looks at the
// pending set instead, and ends when one of them is pending.
bool stop_signal_pending();

} // namespace udmaview
