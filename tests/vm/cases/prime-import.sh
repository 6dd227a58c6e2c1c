#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# In the VM: tests/vm/prime_import scans a udmabuf out through PRIME import; while it holds
# the frame, the host takes a QMP screendump (vmctl) into the out dir as prime.png. The pixel
# check runs on the host afterwards (run --host-check 'pngcheck prime-pattern ...').
# usage: prime-import.sh PRIME_IMPORT [WxH]
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

bin=${1:?usage: prime-import.sh PRIME_IMPORT [WxH]}
mode=${2:-800x600}
out=$UDMAVIEW_VM_OUT
log=$out/prime_import.tap
png=$out/prime.png
hold=8
rm -f "$png" "$log"

"$bin" -m "$mode" -s "$hold" >"$log" 2>&1 &
pid=$!
for _ in $(seq 300); do
	grep -q 'holding the frame' "$log" && break
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.1
done
dump=0
if grep -q 'holding the frame' "$log"; then
	"$UDMAVIEW_VMCTL" screendump "$png" || dump=$?
	kill -0 "$pid" 2>/dev/null ||
		echo "prime-import: prime_import ended before the screendump returned (host too slow?)"
else
	echo "prime-import: prime_import never held a frame"
	dump=1
fi
rc=0
wait "$pid" || rc=$?
cat "$log"
echo "prime-import: prime_import exit status $rc, screendump status $dump"
if [ "$rc" -ne 0 ] || [ "$dump" -ne 0 ]; then
	exit 1
fi
size=$(png_size "$png")
echo "prime-import: screendump $png: PNG $size"
[ "$size" = "$mode" ]
