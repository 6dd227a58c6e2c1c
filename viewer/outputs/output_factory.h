// SPDX-License-Identifier: MIT
#pragma once

#include <memory>

#include "cli/options.h"
#include "udmaview/output.h"

namespace udmaview {

// The output --output names, configured from the options; an Error when it is not built in.
Result<std::unique_ptr<Output>> make_output(const Options& options);

} // namespace udmaview
