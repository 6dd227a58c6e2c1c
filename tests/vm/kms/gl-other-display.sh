#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bochs-display / virtio-gpu-pci, the gl path: the plane cannot import (bochs: no PRIME
# import; virtio-gpu: refuses foreign dma-bufs), so --kms-path gl composes with GL; EGL does
# not offer (bochs) or refuses (virtio-gpu) the dma-buf import (the probe says which, in one
# line), so damaged rectangles are uploaded: the screendump equals the picture 1:1, a small
# change uploads damaged area x 4 bytes and changes only that rect on screen.
# usage: gl-other-display.sh KMS_VM_CHECK UDMAVIEW
set -uo pipefail
check=$1 udmaview=$2
# shellcheck source=tests/vm/kms/lib.sh
. "$(dirname "$0")/lib.sh"

mkdir -p "$out/gl"
timeout -k 5 300 "$check" gl "$out/gl" --mode 1024x768 one-to-one:gl:fit:nearest:1024x768:0:gl-upload
expect "$UDMAVIEW_VM_DISPLAY: gl takes gl-upload, pixels 1:1, damage uploads area x 4" \
	test $? -eq 0
finish
