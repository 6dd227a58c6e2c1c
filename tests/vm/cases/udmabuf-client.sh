#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# In the VM: the core library's Udmabuf/DmaBuf gtests against the real module (outside the
# VM they skip for lack of /dev/udmabuf).
# usage: udmabuf-client.sh UNIT_TESTS
set -euo pipefail

bin=${1:?usage: udmabuf-client.sh UNIT_TESTS}
test -c /dev/udmabuf || { echo "udmabuf-client: no /dev/udmabuf in the VM"; exit 1; }
log=$UDMAVIEW_VM_OUT/gtest.log
rc=0
"$bin" --gtest_filter='Udmabuf*:DmaBuf*' --gtest_color=no 2>&1 | tee "$log" || rc=$?
passed=$(grep -c '^\[       OK \]' "$log" || true)
skipped=$(grep -c '^\[  SKIPPED \]' "$log" || true)
echo "udmabuf-client: $passed passed, $skipped skipped, exit status $rc"
[ "$rc" -eq 0 ] && [ "$passed" -gt 0 ]
