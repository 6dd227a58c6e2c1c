#!/bin/busybox sh
# SPDX-License-Identifier: MIT
#
# /init of the inner guest of the zero-copy tests (built by zc_e2e.py: busybox, this script,
# /zc_fbguest, optional modules listed in /modules.list). Serial console protocol, one marker
# per line: @@ZC-INIT <uptime>@@, @@ZC-IOMEM ...@@, then zc_fbguest's @@ZC-FB/-PATTERN/-RECT@@;
# @@ZC-END <rc>@@ before power-off.
/bin/busybox mkdir -p /proc /sys /dev /sbin /usr/bin /usr/sbin
/bin/busybox --install -s
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
echo "@@ZC-INIT $(cut -d' ' -f1 /proc/uptime)@@"

# Modules (case b: virtio-gpu and what it needs), in load order.
if [ -f /modules.list ]; then
	while read -r m; do
		insmod "$m" || echo "zc-init: insmod $m failed"
	done </modules.list
fi

# Wait for a framebuffer device (a DRM driver's fbdev appears after its probe).
i=0
while [ ! -e /dev/fb0 ] && [ $i -lt 300 ]; do
	sleep 0.1
	i=$((i + 1))
done

# Where the framebuffer is, as the kernel says it (the test uses zc_fbguest's smem_start).
grep -iE 'fb|frame' /proc/iomem | while read -r line; do echo "@@ZC-IOMEM $line@@"; done
dmesg | grep -iE 'vesafb|efifb|fb0' | sed 's/^/zc-init: /'

# The text console must not draw over the pattern: unbind fbcon from the framebuffer.
for v in /sys/class/vtconsole/vtcon*; do
	[ -e "$v/bind" ] || continue
	if grep -qi 'frame buffer' "$v/name"; then
		echo 0 >"$v/bind" || echo "zc-init: unbinding $(cat "$v/name") failed"
	fi
done

/zc_fbguest /dev/fb0
echo "@@ZC-END $?@@"
sync
poweroff -f
