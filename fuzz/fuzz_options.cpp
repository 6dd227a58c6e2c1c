// SPDX-License-Identifier: MIT
// libFuzzer: the command line. The input is split at NUL bytes into arguments.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "cli/options.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::vector<std::string> args;
    std::string arg;
    for (size_t i = 0; i < size; ++i) {
        if (data[i] == 0) {
            args.push_back(std::move(arg));
            arg.clear();
        } else {
            arg.push_back(char(data[i]));
        }
    }
    args.push_back(std::move(arg));
    if (args.size() > 64) // the parser is linear in the arguments; keep each input quick
        return 0;
    (void)udmaview::parse_options(args);
    return 0;
}
