// SPDX-License-Identifier: MIT
// Command line only: parse, then hand over to run_app().
#include <iostream>
#include <string>
#include <vector>

#include "cli/app.h"
#include "cli/options.h"

int main(int argc, char** argv) {
    const std::vector<std::string> args(argv + 1, argv + argc);
    udmaview::Result<udmaview::Options> options = udmaview::parse_options(args);
    if (!options) {
        std::cerr << "udmaview: " << options.error().message << "\n";
        return 2;
    }
    return udmaview::run_app(*options);
}
