#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bochs-display / virtio-gpu-pci: whichever path the driver allows shows the right pixels; the
# path is asserted (6.1: bochs has no PRIME import (ENOSYS), virtio-gpu refuses foreign
# dma-bufs (ENODEV), so both take the cpu path: pixman into dumb buffers).
# usage: other-display.sh KMS_VM_CHECK UDMAVIEW EXPECTED_PATH
set -uo pipefail
check=$1 udmaview=$2 path=$3
# shellcheck source=tests/vm/kms/lib.sh
. "$(dirname "$0")/lib.sh"

dir=$out/800x600
mkdir -p "$dir"
timeout -k 2 60 "$udmaview" --source demo --size 800x600 --frames 45 --seed 9 \
	--output headless --dump-png "$dir/expected.png" >"$dir/headless.log" 2>&1
timeout -k 5 120 "$check" demo "$dir" --size 800x600 --frames 45 --seed 9 \
	--expected "$dir/expected.png" --expect-path "$path"
expect "$UDMAVIEW_VM_DISPLAY: path $path, screendump equals the expected picture" test $? -eq 0
finish
