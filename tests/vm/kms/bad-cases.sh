#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Bad cases end with a clear message and an exit status != 0, and leave the console intact
# (same screendump up to the cursor, same CRTC state, text mode): unknown connector name,
# unsupported mode, missing device node, a device without KMS (vgem), another DRM master,
# no connected connector (VGA-1 forced off through sysfs); --kms-path gl where EGL cannot
# start (libglvnd given no vendor library) exits 1 without falling back to another path.
# usage: bad-cases.sh KMS_VM_CHECK UDMAVIEW
set -uo pipefail
check=$1 udmaview=$2
# shellcheck source=tests/vm/kms/lib.sh
. "$(dirname "$0")/lib.sh"
cursor_pixels=400

printf '\n\n  udmaview bad-cases test\n' >/dev/tty1
sleep 1
shot "$out/before.png"
crtc_state >"$out/crtc-before.txt"
"$check" console-state >"$out/console-before.txt"
n=0

bad() { # bad NAME EXPECTED_MESSAGE ARGS...
	local name=$1 message=$2
	shift 2
	n=$((n + 1))
	local log=$out/bad-$n.log
	timeout -k 2 30 "$udmaview" --source demo --size 800x600 --output kms --frames 30 "$@" \
		>"$log" 2>&1
	local rc=$?
	bad_rc=$rc
	echo "# $name: exit $rc: $(head -c 400 "$log")"
	expect "$name: exit status != 0 and not a timeout" test "$rc" -ne 0 -a "$rc" -ne 124
	expect "$name: says '$message'" grep -q -- "$message" "$log"
	shot "$out/after-$n.png"
	crtc_state >"$out/crtc-after-$n.txt"
	"$check" console-state >"$out/console-after-$n.txt"
	expect "$name: CRTC state unchanged" diff "$out/crtc-before.txt" "$out/crtc-after-$n.txt"
	expect "$name: console state unchanged" diff "$out/console-before.txt" "$out/console-after-$n.txt"
	expect "$name: screen unchanged" "$check" compare "$out/before.png" "$out/after-$n.png" \
		"$cursor_pixels"
}

bad "unknown connector" "no such connector on /dev/dri/card0" --connector HDMI-A-7
bad "unsupported mode" "does not offer it; modes:" --mode 1234x567
bad "missing device node" "cannot open /dev/dri/card9" --device /dev/dri/card9
bad "device without KMS" "has no modesetting resources" --device /dev/dri/card1
__EGL_VENDOR_LIBRARY_FILENAMES=/nonexistent \
	bad "--kms-path gl, EGL cannot start" "on the GBM platform failed" --kms-path gl
expect "--kms-path gl, EGL cannot start: exit status 1 (got $bad_rc)" test "$bad_rc" -eq 1

timeout -k 2 60 "$check" hold-master /dev/dri/card0 40 >"$out/holder.log" 2>&1 &
holder=$!
bg_pids+=("$holder")
if wait_for "$out/holder.log" 20 holding; then
	bad "another DRM master" "cannot become DRM master of /dev/dri/card0" --device /dev/dri/card0
else
	fail "another DRM master: the holder did not get master"
fi
kill "$holder" 2>/dev/null
wait "$holder" 2>/dev/null

# Last, as forcing the connector off may change the console's own CRTC state.
status=/sys/class/drm/card0-VGA-1/status
if [ -w "$status" ]; then
	echo off >"$status"
	n=$((n + 1))
	log=$out/bad-$n.log
	timeout -k 2 30 "$udmaview" --source demo --output kms --frames 30 >"$log" 2>&1
	rc=$?
	echo "# no connected connector: exit $rc: $(head -c 400 "$log")"
	echo detect >"$status"
	expect "no connected connector: exit status != 0" test "$rc" -ne 0 -a "$rc" -ne 124
	expect "no connected connector: says so" grep -q "no connected connector on /dev/dri/card0" "$log"
	"$check" console-state >"$out/console-after-$n.txt"
	expect "no connected connector: console state unchanged" \
		diff "$out/console-before.txt" "$out/console-after-$n.txt"
else
	fail "no connected connector: $status is not writable"
fi
finish
