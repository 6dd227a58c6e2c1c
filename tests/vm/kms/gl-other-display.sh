#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bochs-display / virtio-gpu-pci, the gl path: the plane cannot import (bochs: no PRIME
# import; virtio-gpu: refuses foreign dma-bufs), so --kms-path auto composes with GL; EGL does
# not offer (bochs) or refuses (virtio-gpu) the dma-buf import, so damaged rectangles are
# uploaded: the screendump equals the demo frame 1:1, a 640x480 picture fills 1024x768 (fit,
# nearest) exactly as the reference, and a small change uploads damaged area x 4 bytes.
# usage: gl-other-display.sh KMS_VM_CHECK UDMAVIEW
set -uo pipefail
check=$1 udmaview=$2
# shellcheck source=tests/vm/kms/lib.sh
. "$(dirname "$0")/lib.sh"

dir=$out/800x600
mkdir -p "$dir"
timeout -k 2 60 "$udmaview" --source demo --size 800x600 --frames 45 --seed 9 \
	--output headless --dump-png "$dir/expected.png" >"$dir/headless.log" 2>&1
timeout -k 5 150 "$check" demo "$dir" --size 800x600 --frames 45 --seed 9 \
	--expected "$dir/expected.png" --kms-path auto --expect-path gl-upload
expect "$UDMAVIEW_VM_DISPLAY: auto takes gl-upload, screendump equals the demo frame" test $? -eq 0
mkdir -p "$out/fit"
timeout -k 5 150 "$check" gl "$out/fit" --mode 1024x768 \
	fit-nearest:auto:fit:nearest:640x480:0:gl-upload
expect "$UDMAVIEW_VM_DISPLAY: 640x480 fit on 1024x768, exact; damage uploads area x 4" \
	test $? -eq 0
finish
