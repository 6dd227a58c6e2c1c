// SPDX-License-Identifier: MIT
#pragma once

#include <memory>

#include "cli/options.h"
#include "udmaview/source.h"

namespace udmaview {

// The source --source names, configured from the options; an Error when it is unknown or
// not built in.
Result<std::unique_ptr<FrameSource>> make_source(const Options& options);

} // namespace udmaview
