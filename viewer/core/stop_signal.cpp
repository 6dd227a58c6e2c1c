// SPDX-License-Identifier: MIT
#include "udmaview/stop_signal.h"

#include <csignal>

namespace udmaview {

bool stop_signal_pending() {
    sigset_t pending;
    if (sigpending(&pending) != 0)
        return false;
    return sigismember(&pending, SIGINT) == 1 || sigismember(&pending, SIGTERM) == 1 ||
           sigismember(&pending, SIGHUP) == 1;
}

} // namespace udmaview
