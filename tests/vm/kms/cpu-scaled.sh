#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The cpu path (pixman into dumb buffers) on any display: a synthetic picture scaled onto
# 1024x768 (640x480 and 800x600 fit, 400x300 integer) equals the reference computed here –
# nearest exactly, linear within 3 per channel (pixman's 7-bit bilinear weights) – and a
# small change redraws and signals only its scaled rectangle; two sources as tiles with
# --hud: each tile equals its headless frame exactly, the overlay is drawn (lit pixels in its
# rect, the report's hud counters); --kms-path auto on a picture the plane cannot place
# takes the cpu path where GL is llvmpipe (every frame of the timing report, and the one
# line that says why), for two sources as tiles too. The tiles and auto parts are display-independent (the scene and the path
# choice): with "scaled" as the 4th argument only the scaled pictures and damage are checked.
# usage: cpu-scaled.sh KMS_VM_CHECK UDMAVIEW kms-gl|no-kms-gl [all|scaled]
set -uo pipefail
check=$1 udmaview=$2 gl=$3 parts=${4:-all}
# shellcheck source=tests/vm/kms/lib.sh
. "$(dirname "$0")/lib.sh"

mkdir -p "$out/cpu"
timeout -k 5 300 "$check" gl "$out/cpu" --mode 1024x768 \
	fit-nearest:cpu:fit:nearest:640x480:0:dumb-copy \
	fit-linear:cpu:fit:linear:640x480:3:dumb-copy \
	fit-nearest-800:cpu:fit:nearest:800x600:0:dumb-copy \
	integer:cpu:integer:nearest:400x300:0:dumb-copy
expect "cpu: fit nearest exact (640x480, 800x600), linear within 3, integer exact; damage only" \
	test $? -eq 0

[ "$parts" = scaled ] && finish

tiles_check "$out/tiles" --kms-path cpu --hud
# The overlay (Hud::width x Hud::height = 320x96 at 8,8) lies over tile 1's black letterbox:
# its first image ("udmaview hud: waiting for frames", the graph's frame) lights ~790 pixels.
expect "tiles --hud: the overlay is drawn over the letterbox" \
	"$check" lit "$out/tiles/screen.png" 8 8 320 96 300
expect "tiles --hud: the report counts the overlay's draws (output_counters)" \
	python3 -c 'import json, sys
c = json.load(open(sys.argv[1]))["summary"].get("output_counters", {})
print("# output_counters", c)
sys.exit(not (c.get("hud_draws", 0) >= 1 and c.get("hud_updates", 0) >= 1 and
              c.get("pixman_drawn_pixels", 0) >= 2 * 320 * 240))' "$out/tiles/timing.json"

# auto: a 640x480 demo on 1024x768 with fit, which no plane here places (cirrus cannot scale;
# bochs and virtio-gpu import no dma-bufs). Where GL is built, it starts, finds llvmpipe and
# leaves for the cpu path. 20 fps for 8 s: frames made while GL starts (6 s on bochs under
# TCG) are dropped.
dir=$out/auto
mkdir -p "$dir"
export MESA_SHADER_CACHE_DIR=/tmp/udmaview-mesa-shader-cache
timeout -k 5 200 "$udmaview" --source demo --size 640x480 --fps 20 --frames 160 --output kms \
	--mode 1024x768 --kms-path auto --timing "$dir/timing.json" >"$dir/run.log" 2>&1
rc=$?
grep -v presented "$dir/run.log" | tail -n 4
expect "auto: the demo ran (exit status $rc)" test "$rc" -eq 0
expect "auto: every frame took the cpu path (timing report)" python3 -c 'import json, sys
frames = [f for f in json.load(open(sys.argv[1]))["frames"] if f["submitted_ns"]]
paths = sorted({f["path"] for f in frames})
print(f"# auto: {len(frames)} frames submitted, paths {paths}")
sys.exit(not (len(frames) >= 10 and paths == ["dumb-copy"]))' "$dir/timing.json"
if [ "$gl" = kms-gl ]; then
	expect "auto: one line says llvmpipe made it choose the cpu path" \
		grep -q 'kms-path auto chose cpu: the GL renderer is llvmpipe' "$dir/run.log"
fi

# auto with two sources: the tiles are composed by pixman where GL is llvmpipe (it starts and
# is left) or not built, and both sources' frames are shown.
tiles_check "$out/tiles-auto" --kms-path auto
finish
