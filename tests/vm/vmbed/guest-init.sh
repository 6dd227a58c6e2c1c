#!/bin/busybox sh
# SPDX-License-Identifier: MIT
#
# /init of the test-bed initramfs (busybox). /vm.conf, written by tests/vm/run, sets:
#   MODULES      kernel modules to insmod, in order
#   KMOD         our udmabuf.ko ('' with --no-kmod, or when the kernel has its own)
#   UDMABUF_BUILTIN  1 when the kernel provides /dev/udmabuf itself (CONFIG_UDMABUF=y)
#   OUT_DIR      host path of the writable output share (mounted at the same path)
#   TEST_SCRIPT  script in OUT_DIR that cds and runs the test command inside the chroot
# Console protocol read by the host runner (one marker per line):
#   @@VM-BOOTED <uptime>@@  @@VM-TEST-START <uptime>@@  @@VM-TEST-EXIT <rc> <uptime>@@
#   @@VM-CHECK <name> ok|FAIL@@  @@VM-DONE@@
/bin/busybox mkdir -p /sbin /usr/bin /usr/sbin
/bin/busybox --install -s
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
# shellcheck source=/dev/null
. /vm.conf

H=/host
CHECK_FAILED=0

uptime_s() { cut -d' ' -f1 /proc/uptime; }
marker() { printf '\n@@%s@@\n' "$*"; }
say() { echo "vm-init: $*"; }

mount_basics() {
	mount -t proc proc /proc
	mount -t sysfs sysfs /sys
	mount -t devtmpfs devtmpfs /dev
	mount -t debugfs debugfs /sys/kernel/debug
	mkdir -p /dev/pts /dev/shm
	# what udev would add: bash process substitution needs /dev/fd
	ln -s /proc/self/fd /dev/fd
	ln -s /proc/self/fd/0 /dev/stdin
	ln -s /proc/self/fd/1 /dev/stdout
	ln -s /proc/self/fd/2 /dev/stderr
	mount -t devpts devpts /dev/pts
	mount -t tmpfs tmpfs /dev/shm
}

load_modules() {
	for m in $MODULES; do
		insmod "$m" || say "insmod $m failed"
	done
	if [ -n "$KMOD" ]; then
		insmod "$KMOD"
		check insmod-udmabuf $?
	fi
}

# udev is not running: create /dev/virtio-ports/<name> links by hand.
link_virtio_ports() {
	mkdir -p /dev/virtio-ports
	for d in /sys/class/virtio-ports/*; do
		[ -e "$d/name" ] || continue
		ln -sf "../${d##*/}" "/dev/virtio-ports/$(cat "$d/name")"
	done
}

# /tmp: the host's /tmp (read-only 9p, so build dirs there stay visible) under a tmpfs
# overlay, so it is writable and behaves like the host's (not shmem-backed).
mount_tmp() {
	mkdir -p /run
	mount -t tmpfs tmpfs /run
	mkdir -p /run/tmp-upper /run/tmp-work
	mount -t overlay overlay \
		-o "lowerdir=$H/tmp,upperdir=/run/tmp-upper,workdir=/run/tmp-work" "$H/tmp"
}

mount_host() {
	opts=trans=virtio,version=9p2000.L,msize=512000
	# the host root does not change during a run: let the guest cache it (much faster)
	mount -t 9p -o "$opts,ro,cache=loose" hostroot "$H" || return 1
	mount_tmp || return 1
	mount -t 9p -o "$opts" vmout "$H$OUT_DIR" || return 1
	mount -o rbind /dev "$H/dev"
	mount -t proc proc "$H/proc"
	mount -t sysfs sysfs "$H/sys"
	mount -t debugfs debugfs "$H/sys/kernel/debug"
	mount -t tmpfs tmpfs "$H/run"
}

run_test() {
	marker "VM-TEST-START $(uptime_s)"
	chroot "$H" /bin/sh "$TEST_SCRIPT" </dev/null
	rc=$?
	marker "VM-TEST-EXIT $rc $(uptime_s)"
	# Nothing the test left behind may hold a dma-buf or the module.
	kill -9 -1 2>/dev/null
	sleep 0.3
}

check() {
	if [ "$2" = 0 ]; then
		marker "VM-CHECK $1 ok"
	else
		marker "VM-CHECK $1 FAIL"
		CHECK_FAILED=1
	fi
}

check_bufinfo() {
	left=$(grep -w udmabuf /sys/kernel/debug/dma_buf/bufinfo)
	[ -z "$left" ] && return 0
	say "udmabuf dma-bufs still alive:"
	echo "$left"
	return 1
}

check_dmesg() {
	bad=$(dmesg | grep -E 'WARNING:|BUG:|Oops|general protection|refcount_t')
	[ -z "$bad" ] && return 0
	say "dmesg has errors:"
	echo "$bad" | head -n 40
	return 1
}

post_run_checks() {
	if [ -n "$KMOD" ] || [ "${UDMABUF_BUILTIN:-0}" = 1 ]; then
		check_bufinfo
		check bufinfo-no-udmabuf $?
	fi
	if [ -n "$KMOD" ]; then
		rmmod udmabuf
		check rmmod-udmabuf $?
	fi
	check_dmesg
	check dmesg-clean $?
	dmesg >"$H$OUT_DIR/dmesg.txt" 2>/dev/null
}

main() {
	mount_basics
	marker "VM-BOOTED $(uptime_s)"
	load_modules
	link_virtio_ports
	if mount_host; then
		run_test
	else
		say "mounting the host root over 9p failed"
		marker "VM-TEST-EXIT 125 $(uptime_s)"
	fi
	post_run_checks
	[ "$CHECK_FAILED" = 0 ] || say "post-run checks failed"
	marker "VM-DONE"
	sync
	poweroff -f
}

main
