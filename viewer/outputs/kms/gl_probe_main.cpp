// SPDX-License-Identifier: MIT
// udmaview-gl-probe CARD|device: the helper the KMS output starts (posix_spawn) to learn
// whether sampling an imported dma-buf works on CARD (gl_import_check.h); "device" checks the
// EGL device platform's software device (headless --render gl) instead. A fresh process rather than
// a fork of the viewer: the viewer has threads, and Mesa must not start in a fork of a
// threaded process (locks held by other threads at fork time stay locked in the child), nor
// keep the viewer's DRM master fd, VT and signalfds open after the viewer died.
// Its exit status is the verdict; it prints one JSON line with the verdict and its reason
// (the viewer sends it to /dev/null; a crash prints nothing).
#include <sys/prctl.h>
#include <sys/resource.h>

#include <csignal>
#include <cstdio>
#include <string>

#include "outputs/kms/gl_import_check.h"

int main(int argc, char** argv) {
    if (argc != 2)
        return udmaview::kms::GlImportUsage;
    // A crash is expected on some drivers: no core file. And no probe outlives the viewer.
    const rlimit no_core{0, 0};
    ::setrlimit(RLIMIT_CORE, &no_core);
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    const udmaview::kms::GlImportReport report = udmaview::kms::check_gl_import(argv[1]);
    std::printf("%s\n", report.json().c_str());
    return report.outcome;
}
