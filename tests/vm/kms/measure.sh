#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Not a test: measures a 60 fps demo through --output kms on the VM's display (per-frame CPU
# time of the presenter/output thread, update→present latency), for docs/kms.md. Run by hand:
#   tests/vm/run --build-dir build --display cirrus-vga --name kms-measure -- \
#       tests/vm/kms/measure.sh build/tests/vm/kms/kms_vm_check build/udmaview
set -uo pipefail
check=$1 udmaview=$2
# shellcheck source=tests/vm/kms/lib.sh
. "$(dirname "$0")/lib.sh"
frames=${KMS_MEASURE_FRAMES:-600}
# KMS_MEASURE_PATHS: plane (else copy), gl, copy, auto (kms_vm_check demo --kms-path).
for path in ${KMS_MEASURE_PATHS:-plane}; do
	for size in ${KMS_MEASURE_SIZES:-800x600 1024x768}; do
		for pattern in ${KMS_MEASURE_PATTERNS:-all rects console}; do
			dir=$out/$path-$size-$pattern
			mkdir -p "$dir"
			echo "## $UDMAVIEW_VM_DISPLAY --kms-path $path $size pattern $pattern, $frames frames at 60 fps"
			timeout -k 5 300 "$check" demo "$dir" --size "$size" --frames "$frames" \
				--pattern "$pattern" --seed 1 --kms-path "$path" |
				grep -E '^# (driver|frames|cpu|produced|bytes)|^not ok'
		done
	done
done
exit 0
