// SPDX-License-Identifier: MIT
#pragma once

#include <iosfwd>
#include <memory>

#include "cli/options.h"
#include "cli/test_hooks.h"
#include "udmaview/output.h"

namespace udmaview {

// The output --output names, given its own typed options (and the test hooks that apply to
// it); an Error when it is not built in.
Result<std::unique_ptr<Output>> make_output(const Options& options, const TestHooks& hooks);
// --list: prints the display devices (KMS cards, connectors, modes, planes) the options name.
Status list_displays(const Options& options, std::ostream& out);

} // namespace udmaview
