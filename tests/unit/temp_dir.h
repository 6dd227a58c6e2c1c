// SPDX-License-Identifier: MIT
#pragma once

#include <cstdlib>
#include <string>

// Where tests may write: $TMPDIR when set (the VM test bed sets it when /tmp is read-only),
// else /tmp. (gtest's TempDir() ignores TMPDIR.)
inline std::string temp_dir() {
    const char* dir = std::getenv("TMPDIR");
    return dir && *dir ? dir : "/tmp";
}
