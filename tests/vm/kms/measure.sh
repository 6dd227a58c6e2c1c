#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Not a test: measures a 60 fps demo through --output kms on the VM's display (per-frame CPU
# time of the presenter/output thread, update→present latency), for docs/kms.md. Run by hand,
# or with repetitions and a table through bench/kms_vm_bench.py:
#   tests/vm/run --build-dir build --display cirrus-vga --name kms-measure -- \
#       tests/vm/kms/measure.sh build/tests/vm/kms/kms_vm_check build/udmaview
set -uo pipefail
check=$1 udmaview=$2
# shellcheck source=tests/vm/kms/lib.sh
. "$(dirname "$0")/lib.sh"
frames=${KMS_MEASURE_FRAMES:-600}
# KMS_MEASURE_PATHS: PATH[:SCALE[:FILTER[:MODE]]] each, PATH plane (else cpu), gl, cpu, auto
# (kms_vm_check demo --kms-path; SCALE fit (default), integer or none; FILTER linear or
# nearest; MODE the mode, default KMS_MEASURE_MODE, else the source's size). Scaled runs
# print a failed picture comparison (the reference is the 1:1 picture): read their numbers
# only. KMS_MEASURE_ROUNDS: repetitions, each running every spec once (interleaved, so that a
# slow spell of the shared host spreads over all specs). KMS_MEASURE_TILES=N: N demo sources
# of KMS_MEASURE_TILE_SIZE (default 400x300) in tiles through udmaview itself, per spec after
# the single-source runs (CPU: the whole process, the demos' drawing included).
rounds=${KMS_MEASURE_ROUNDS:-1}
for ((round = 1; round <= rounds; round++)); do
	for spec in ${KMS_MEASURE_PATHS:-plane}; do
		IFS=: read -r path scale filter mode <<<"$spec"
		scale=${scale:-fit} filter=${filter:-linear} mode=${mode:-${KMS_MEASURE_MODE:-}}
		for size in ${KMS_MEASURE_SIZES:-800x600 1024x768}; do
			for pattern in ${KMS_MEASURE_PATTERNS:-all rects console}; do
				dir=$out/$round-$path-$scale-$filter-$size-$pattern
				mkdir -p "$dir"
				echo "## round $round: $UDMAVIEW_VM_DISPLAY --kms-path $path --scale $scale" \
					"--filter $filter $size on ${mode:-its size}, pattern $pattern, $frames" \
					"frames at 60 fps"
				timeout -k 5 300 "$check" demo "$dir" --size "$size" --frames "$frames" \
					--pattern "$pattern" --seed 1 --kms-path "$path" --scale "$scale" \
					--filter "$filter" ${mode:+--mode "$mode"} |
					grep -E '^# (driver|frames|cpu|produced|bytes)|^not ok'
			done
		done
		tiles=${KMS_MEASURE_TILES:-0}
		[[ $tiles -gt 1 && $path != plane ]] || continue
		sources=()
		for ((i = 0; i < tiles; i++)); do sources+=(--source demo); done
		dir=$out/$round-$path-$scale-$filter-tiles$tiles
		mkdir -p "$dir"
		echo "## round $round: $UDMAVIEW_VM_DISPLAY --kms-path $path --scale $scale --filter" \
			"$filter $tiles tiles of ${KMS_MEASURE_TILE_SIZE:-400x300} on ${mode:-preferred}," \
			"$frames frames each at 60 fps"
		# times: the shell's own, then its children's user and system time.
		(
			timeout -k 5 300 "$udmaview" --output kms --kms-path "$path" --scale "$scale" \
				--filter "$filter" ${mode:+--mode "$mode"} --size "${KMS_MEASURE_TILE_SIZE:-400x300}" \
				--fps 60 --frames "$frames" --timing "$dir/timing.json" "${sources[@]}" \
				>"$dir/log" 2>&1
			echo "# exit $?"
			# Into a file: in a pipe, times would run in a forked shell without children.
			times >"$dir/times"
			tail -n 1 "$dir/times" | sed 's/^/# children cpu /'
		)
		python3 -c 'import json, sys
s = json.load(open(sys.argv[1]))["summary"]
print("# frames", s["frames"], "presented", s["presented"], "dropped", s["dropped"])
p = s["produced_to_presented"]
print("# produced->presented p50", p["p50_ms"], "ms p99", p["p99_ms"], "ms")' "$dir/timing.json" ||
			echo "not ok - no timing report in $dir"
	done
done
exit 0
