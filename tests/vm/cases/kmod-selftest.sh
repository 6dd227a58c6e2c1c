#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# In the VM: the kernel's own udmabuf selftest (tools/testing/selftests/drivers/dma-buf/
# udmabuf.c from linux-source-6.1, built unchanged) against our module. Every case must pass;
# a skip (exit 77: no /dev/udmabuf) is a failure here.
set -euo pipefail

selftest=${UDMAVIEW_VM_SELFTEST:?run me through tests/vm/run}
log=$UDMAVIEW_VM_OUT/selftest.log
rc=0
"$selftest" >"$log" 2>&1 || rc=$?
cat "$log"
echo "kmod-selftest: exit status $rc"
if [ "$rc" -ne 0 ] || ! grep -q '^drivers/dma-buf/udmabuf: ok$' "$log"; then
	echo "kmod-selftest: FAIL"
	exit 1
fi
echo "kmod-selftest: PASS (all cases of the kernel selftest)"
