// SPDX-License-Identifier: MIT
// A build without GBM/EGL has no gl route: the path choice then never takes it, and
// --kms-path gl is refused at start with what to install.
#include "outputs/kms/scanout_route.h"

namespace udmaview::kms {

std::unique_ptr<ScanoutRoute> make_gl_route(RouteContext, bool) {
    return nullptr;
}

} // namespace udmaview::kms
