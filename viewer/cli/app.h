// SPDX-License-Identifier: MIT
#pragma once

#include "cli/options.h"

namespace udmaview {

// Runs udmaview with parsed options; returns the process exit status.
int run_app(const Options& options);

} // namespace udmaview
