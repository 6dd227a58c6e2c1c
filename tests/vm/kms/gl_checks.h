// SPDX-License-Identifier: MIT
// kms_vm_check's gl-path commands: a synthetic udmabuf picture composed by the KMS output's
// gl path, scaled and filtered as asked, compared with a reference computed here; then a
// small change, of which only the (scaled) damaged rectangle may change on screen.
#pragma once

#include <string>
#include <vector>

namespace udmaview::vmcheck {

//   kms_vm_check gl OUT_DIR --size WxH [--mode WxH] [--kms-path P] [--scale S]
//                [--filter nearest|linear] [--expect-path P] [--tolerance N]
int run_gl(const std::string& out, std::vector<std::string> args);

} // namespace udmaview::vmcheck
