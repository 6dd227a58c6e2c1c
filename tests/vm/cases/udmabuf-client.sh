#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# In the VM: the core library's Udmabuf/DmaBuf gtests against the real module (outside the
# VM they skip for lack of /dev/udmabuf). Where the kernel has udmabuf built in and the runner
# built our module unloaded (--kmod-unloaded), loading it first must fail: the kernel refuses a
# module named like a built-in one ("module is already loaded", EINVAL) before the module's own
# init runs; the gtests then show the built-in driver still works.
# usage: udmabuf-client.sh UNIT_TESTS
set -euo pipefail

bin=${1:?usage: udmabuf-client.sh UNIT_TESTS}
test -c /dev/udmabuf || { echo "udmabuf-client: no /dev/udmabuf in the VM"; exit 1; }
if [ "${UDMAVIEW_VM_UDMABUF_BUILTIN:-0}" = 1 ] && [ -n "${UDMAVIEW_VM_KO:-}" ]; then
	rc=0
	insmod "$UDMAVIEW_VM_KO" 2>&1 || rc=$?
	refusal=$(dmesg | grep -E '^\[ *[0-9.]+\] udmabuf: module is already loaded$' || true)
	echo "udmabuf-client: insmod $UDMAVIEW_VM_KO on $(uname -r): exit status $rc; dmesg: ${refusal:-nothing}"
	if [ "$rc" -ne 1 ] || [ -z "$refusal" ] || grep -qw '^udmabuf' /proc/modules; then
		echo "udmabuf-client: FAIL: the kernel did not refuse our module (want exit status 1," \
			"'udmabuf: module is already loaded' in dmesg, no udmabuf in /proc/modules)"
		exit 1
	fi
fi
log=$UDMAVIEW_VM_OUT/gtest.log
rc=0
"$bin" --gtest_filter='Udmabuf*:DmaBuf*' --gtest_color=no 2>&1 | tee "$log" || rc=$?
passed=$(grep -c '^\[       OK \]' "$log" || true)
skipped=$(grep -c '^\[  SKIPPED \]' "$log" || true)
echo "udmabuf-client: $passed passed, $skipped skipped, exit status $rc"
[ "$rc" -eq 0 ] && [ "$passed" -gt 0 ]
