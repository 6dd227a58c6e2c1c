#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# In the VM: the test bed itself works: our module and the display's DRM device exist, the
# control channel answers QMP, a screendump arrives in the out dir. Reports the boot time.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

echo "boot-smoke: guest uptime at test start: $(cut -d' ' -f1 /proc/uptime) s"
echo "boot-smoke: kernel $(uname -r), display ${UDMAVIEW_VM_DISPLAY:-?}"
test -c /dev/udmabuf
test -c /dev/dri/card0
# Where the kernel has udmabuf built in (6.12), /dev/udmabuf is its own: no module loaded.
# Our kmod is not built there: it targets kernels without CONFIG_UDMABUF (6.1 API).
if [ "${UDMAVIEW_VM_UDMABUF_BUILTIN:-0}" = 1 ]; then
	test -d /sys/class/misc/udmabuf
	if grep -qw '^udmabuf' /proc/modules; then
		echo "boot-smoke: FAIL: a udmabuf module is loaded on a kernel with udmabuf built in"
		exit 1
	fi
	echo "boot-smoke: udmabuf is built into $(uname -r), no module loaded"
else
	grep -qw '^udmabuf' /proc/modules
	echo "boot-smoke: udmabuf is our module ($UDMAVIEW_VM_KO)"
fi
echo "boot-smoke: /dev/udmabuf ok; card0 driver: $(basename "$(readlink /sys/class/drm/card0/device/driver)")"
status=$("$UDMAVIEW_VMCTL" qmp '{"execute": "query-status"}')
echo "boot-smoke: QMP query-status: $status"
grep -q '"running"' <<<"$status"
png=$UDMAVIEW_VM_OUT/smoke.png
rm -f "$png"
"$UDMAVIEW_VMCTL" screendump "$png"
size=$(png_size "$png")
echo "boot-smoke: screendump $png: PNG $size"
echo "boot-smoke: PASS"
