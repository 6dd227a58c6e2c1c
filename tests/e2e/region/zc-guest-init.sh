#!/bin/busybox sh
# SPDX-License-Identifier: MIT
#
# /init of the inner guest of the zero-copy tests (built by zc_e2e.py: busybox, this script,
# /zc_fbguest, optional modules listed in /modules.list). Kernel argument zc.fb=ramfb: draw
# into the firmware's ramfb through /dev/mem (PVH boot, no vesafb). Serial protocol, one marker
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

fb=/dev/fb0
grep -q 'zc.fb=ramfb' /proc/cmdline && fb=ramfb

if [ "$fb" = ramfb ]; then
	# PVH boot: no screen_info, no vesafb. SeaBIOS's vgabios-ramfb configured ramfb; its
	# config (big-endian addr, fourcc, flags, w, h, stride) is readable from fw_cfg sysfs.
	echo "@@ZC-RAMFB-CFG $(hexdump -v -e '28/1 "%02x"' /sys/firmware/qemu_fw_cfg/by_name/etc/ramfb/raw)@@"
else
	# Wait for a framebuffer device (a DRM driver's fbdev appears after its probe).
	i=0
	while [ ! -e /dev/fb0 ] && [ $i -lt 300 ]; do
		sleep 0.1
		i=$((i + 1))
	done
fi

# Where the framebuffer is, as the kernel says it (the test uses zc_fbguest's smem_start).
grep -iE 'fb|frame|reserved' /proc/iomem | while read -r line; do echo "@@ZC-IOMEM $line@@"; done
dmesg | grep -iE 'vesafb|efifb|fb0' | sed 's/^/zc-init: /'

# The text console must not draw over the pattern: unbind fbcon from the framebuffer.
for v in /sys/class/vtconsole/vtcon*; do
	[ -e "$v/bind" ] || continue
	if grep -qi 'frame buffer' "$v/name"; then
		echo 0 >"$v/bind" || echo "zc-init: unbinding $(cat "$v/name") failed"
	fi
done

/zc_fbguest "$fb"
echo "@@ZC-END $?@@"
sync
poweroff -f
