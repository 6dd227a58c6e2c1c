// SPDX-License-Identifier: MIT
// kms_vm_check's gl-path commands: a synthetic udmabuf picture composed by the KMS output's
// gl path, scaled and filtered as asked, compared with a reference computed here; then a
// small change, of which only the (scaled) damaged rectangle may change on screen.
#pragma once

#include <string>
#include <vector>

namespace udmaview::vmcheck {

//   kms_vm_check gl OUT_DIR [--mode WxH] CASE...
//       CASE is NAME:KMS_PATH:SCALE:FILTER:WxH:TOLERANCE:EXPECTED_PATH, e.g.
//       fit-linear:gl:fit:linear:640x480:2:gl-upload; all cases run in one process (one
//       import probe), each on its own KmsOutput.
int run_gl(const std::string& out, std::vector<std::string> args);

} // namespace udmaview::vmcheck
