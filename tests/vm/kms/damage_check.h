// SPDX-License-Identifier: MIT
// kms_vm_check damage: the KMS output's damage and re-layout steps on a synthetic picture.
#pragma once

#include <string>
#include <vector>

namespace udmaview::vmcheck {

//   kms_vm_check damage OUT_DIR --size WxH
//       synthetic udmabuf picture; a small declared rect changes (must show), another rect
//       changes undeclared (must not show: the damage signalled did not cover the whole
//       frame); then, with --scale none, a source of another size (re-layout without
//       restart), one larger than the mode (its centre 1:1), the first picture again and one
//       without a dma-buf (cpu path).
int run_damage(const std::string& out, std::vector<std::string> args);

} // namespace udmaview::vmcheck
