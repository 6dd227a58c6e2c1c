#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# cirrus-vga, the gl path (GLES into GBM scanout buffers; Mesa's kms_swrast): with
# --kms-path gl the import is probed in a child process (llvmpipe crashes sampling an imported
# udmabuf: the viewer survives and uploads damaged rectangles) and the screendump equals the
# demo frame 1:1; --kms-path auto with the source the mode's size takes the plane; a 640x480
# picture on 1024x768 with fit goes to gl (cirrus' plane cannot scale) and equals the nearest
# reference exactly, the linear one within 2 per channel; integer scaling (400x300 → 2x) is
# exact; after a small change only the scaled damaged rect changes on screen.
# usage: gl-cirrus.sh KMS_VM_CHECK UDMAVIEW
set -uo pipefail
check=$1 udmaview=$2
# shellcheck source=tests/vm/kms/lib.sh
. "$(dirname "$0")/lib.sh"

dir=$out/gl-1to1
mkdir -p "$dir"
timeout -k 2 60 "$udmaview" --source demo --size 1024x768 --frames 45 --seed 5 \
	--output headless --dump-png "$dir/expected.png" >"$dir/headless.log" 2>&1
expect "headless expected picture" test -s "$dir/expected.png"
timeout -k 5 150 "$check" demo "$dir" --size 1024x768 --frames 45 --seed 5 \
	--expected "$dir/expected.png" --kms-path gl --expect-path gl-upload
expect "--kms-path gl: import probed, upload path, pixels 1:1" test $? -eq 0
dir=$out/auto-plane
mkdir -p "$dir"
timeout -k 5 120 "$check" demo "$dir" --size 1024x768 --frames 30 --seed 5 \
	--expected "$out/gl-1to1/expected.png" --kms-path auto --expect-path import
expect "--kms-path auto, source == mode: the plane" test $? -eq 0

gl_case() { # gl_case NAME WHAT ARGS...
	local name=$1 what=$2
	shift 2
	mkdir -p "$out/$name"
	timeout -k 5 150 "$check" gl "$out/$name" --mode 1024x768 "$@"
	expect "$what" test $? -eq 0
}
gl_case fit-nearest "auto, 640x480 fit nearest on 1024x768: gl, exact reference, damage only" \
	--size 640x480 --kms-path auto --scale fit --filter nearest --expect-path gl-upload
gl_case fit-linear "gl, 640x480 fit linear: reference within 2" \
	--size 640x480 --scale fit --filter linear --tolerance 2 --expect-path gl-upload
gl_case integer "gl, 400x300 integer (2x) nearest: exact" \
	--size 400x300 --scale integer --filter nearest --expect-path gl-upload
finish
