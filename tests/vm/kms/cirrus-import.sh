#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# cirrus-vga: the demo through --output kms takes the import path (PRIME → FB, DirtyFB for
# damage): 0 bytes copied and 0 imports per steady-state frame, and the screendump equals the
# picture `udmaview --output headless --dump-png` gives for the same options. At 800x600
# (32 bpp) and 1024x768 (pitch 4096: cirrus' 24 bpp conversion). Buffers without a dma-buf
# (--no-udmabuf) go to the cpu path (pixman into dumb buffers) and still show the right
# pixels. The legacy API (kms_vm_check --legacy) takes the import path too; a format the
# plane lacks (XBGR8888) is converted on the cpu path.
# usage: cirrus-import.sh KMS_VM_CHECK UDMAVIEW
set -uo pipefail
check=$1 udmaview=$2
# shellcheck source=tests/vm/kms/lib.sh
. "$(dirname "$0")/lib.sh"

for size in 800x600 1024x768; do
	dir=$out/$size
	mkdir -p "$dir"
	timeout -k 2 60 "$udmaview" --source demo --size "$size" --frames 45 --seed 5 \
		--output headless --dump-png "$dir/expected.png" >"$dir/headless.log" 2>&1
	expect "$size: headless expected picture" test -s "$dir/expected.png"
	timeout -k 5 120 "$check" demo "$dir" --size "$size" --frames 45 --seed 5 \
		--expected "$dir/expected.png" --expect-path import
	expect "$size: kms import path, pixels and counters" test $? -eq 0
done

# The legacy API (SetCrtc, PageFlip, DirtyFB) on the same driver.
dir=$out/legacy
mkdir -p "$dir"
timeout -k 5 120 "$check" demo "$dir" --size 800x600 --frames 40 --seed 4 --legacy \
	--expect-path import
expect "legacy modesetting: import path, pixels and counters" test $? -eq 0

dir=$out/no-udmabuf
mkdir -p "$dir"
timeout -k 5 120 "$check" demo "$dir" --size 800x600 --frames 30 --seed 3 --no-udmabuf \
	--expect-path dumb-copy
expect "no dma-buf: cpu path with correct pixels" test $? -eq 0
# A format the plane lacks (cirrus: RGB565, RGB888, XRGB8888): converted on the cpu path.
dir=$out/xbgr8888
mkdir -p "$dir"
timeout -k 5 120 "$check" demo "$dir" --size 800x600 --frames 30 --seed 6 --format XBGR8888 \
	--expect-path dumb-copy
expect "format the plane lacks: converted on the cpu path, exact pixels" test $? -eq 0
finish
