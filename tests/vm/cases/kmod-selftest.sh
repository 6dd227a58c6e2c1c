#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# In the VM: the kernel's own udmabuf selftest (tools/testing/selftests/drivers/dma-buf/
# udmabuf.c from the lane's linux-source, built unchanged) against /dev/udmabuf: our module on
# 6.1, the built-in driver on 6.12. Every case must pass; a skip (exit 77: no /dev/udmabuf) is
# a failure here. 6.1's selftest prints "drivers/dma-buf/udmabuf: ok"; 6.12's is TAP
# (kselftest), the same line as a "# " comment after six "ok N" results.
set -euo pipefail

selftest=${UDMAVIEW_VM_SELFTEST:?run me through tests/vm/run}
log=$UDMAVIEW_VM_OUT/selftest.log
# 6.12's selftest (test 6) maps a memfd of MEMFD_SIZE (1024) 2-MB huge pages: 2 GB of
# hugetlb, which the kselftest runner expects to be reserved (the VM gets --mem 3G for it).
src=${selftest%/selftest/udmabuf}/selftest-src/tools/testing/selftests/drivers/dma-buf/udmabuf.c
if grep -q MFD_HUGETLB "$src"; then
	echo 1024 >/proc/sys/vm/nr_hugepages
	got=$(cat /proc/sys/vm/nr_hugepages)
	echo "kmod-selftest: $got 2-MB huge pages reserved for the hugetlb case"
	if [ "$got" -lt 1024 ]; then
		echo "kmod-selftest: FAIL: the selftest needs 1024 huge pages, got $got (give the VM --mem 3G)"
		exit 1
	fi
fi
rc=0
"$selftest" >"$log" 2>&1 || rc=$?
cat "$log"
echo "kmod-selftest: kernel $(uname -r), exit status $rc"
if [ "$rc" -ne 0 ] || ! grep -Eq '^(# )?drivers/dma-buf/udmabuf: ok$' "$log" ||
	grep -q '^not ok' "$log"; then
	echo "kmod-selftest: FAIL"
	exit 1
fi
echo "kmod-selftest: PASS (every case of the kernel selftest)"
