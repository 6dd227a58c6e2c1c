#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# cirrus-vga: after a small-rect update the screendump changes only inside that rect, and the
# damage signalled (DirtyFB clips) covers it but not the frame (an undeclared change elsewhere
# must stay invisible on this copy driver). 800x600 and 1024x768 (full-row clips: the 6.1
# cirrus 24 bpp quirk). Then the source switches to 640x480 without a restart, and to a picture
# larger than the mode, which shows its centre 1:1.
# usage: cirrus-damage.sh KMS_VM_CHECK UDMAVIEW
set -uo pipefail
check=$1 udmaview=$2
# shellcheck source=tests/vm/kms/lib.sh
. "$(dirname "$0")/lib.sh"

for size in 800x600 1024x768; do
	dir=$out/$size
	mkdir -p "$dir"
	timeout -k 5 120 "$check" damage "$dir" --size "$size"
	expect "$size: damage shows only the declared rect; re-layout" test $? -eq 0
done
finish
