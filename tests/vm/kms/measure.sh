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
# KMS_MEASURE_PATHS: PATH[:SCALE[:FILTER]] each, PATH plane (else cpu), gl, cpu, auto
# (kms_vm_check demo --kms-path; SCALE fit (default), integer or none; FILTER linear or
# nearest). KMS_MEASURE_MODE: the mode (default: the source's size). Scaled runs print a
# failed picture comparison (the reference is the 1:1 picture): read their numbers only.
for spec in ${KMS_MEASURE_PATHS:-plane}; do
	IFS=: read -r path scale filter <<<"$spec"
	scale=${scale:-fit} filter=${filter:-linear}
	for size in ${KMS_MEASURE_SIZES:-800x600 1024x768}; do
		for pattern in ${KMS_MEASURE_PATTERNS:-all rects console}; do
			dir=$out/$path-$scale-$filter-$size-$pattern
			mkdir -p "$dir"
			echo "## $UDMAVIEW_VM_DISPLAY --kms-path $path --scale $scale --filter $filter" \
				"$size on ${KMS_MEASURE_MODE:-its size}, pattern $pattern, $frames frames at 60 fps"
			timeout -k 5 300 "$check" demo "$dir" --size "$size" --frames "$frames" \
				--pattern "$pattern" --seed 1 --kms-path "$path" --scale "$scale" \
				--filter "$filter" ${KMS_MEASURE_MODE:+--mode "$KMS_MEASURE_MODE"} |
				grep -E '^# (driver|frames|cpu|produced|bytes)|^not ok'
		done
	done
done
exit 0
