// SPDX-License-Identifier: MIT
#pragma once

#include <memory>

#include "cli/options.h"
#include "udmaview/source.h"

namespace udmaview {

// The source one --source names, given its own typed options; an Error when it is not built in.
Result<std::unique_ptr<FrameSource>> make_source(const SourceOptions& source, bool verbose);
// The first (or only) --source.
Result<std::unique_ptr<FrameSource>> make_source(const Options& options);

} // namespace udmaview
