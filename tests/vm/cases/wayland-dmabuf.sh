#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# In the VM (/dev/udmabuf): the demo's udmabufs through --output wayland to the test
# compositor (tests/wayland), which imports each dma-buf by mmap() of its fd. Four runs:
# XRGB8888 and RGB565 listed in the compositor's linux-dmabuf v4 format table (path
# wl-dmabuf), XRGB8888 listed by v3's modifier events, and XRGB8888 to a compositor that
# lists only ARGB8888 (the fallback to wl_shm from the memfd, with its line). Only these processes run here (TCG is slow); the host
# makes the CPU dumps of the same frames (the demo's pixels depend on the seed and the frame
# number only) and checks the files (tests/e2e/wayland/testcomp_e2e.py check-vm).
# usage: wayland-dmabuf.sh TEST_COMPOSITOR UDMAVIEW
set -uo pipefail
comp=${1:?usage: wayland-dmabuf.sh TEST_COMPOSITOR UDMAVIEW} udmaview=${2:?}
test -c /dev/udmabuf || { echo "wayland-dmabuf: no /dev/udmabuf in the VM"; exit 1; }
rt=$(mktemp -d)
chmod 700 "$rt"
demo=(--source demo --pattern all --seed 7 --frames 30 --fps 60 --size 320x240)
status=0

# run NAME FORMAT COMPOSITOR_ARGS...
run() {
	local name=$1 fmt=$2 dir=$UDMAVIEW_VM_OUT/$1 pid i
	shift 2
	mkdir -p "$dir"
	XDG_RUNTIME_DIR=$rt "$comp" --socket "wl-$name" --out "$dir" --size 640x480 "$@" \
		>"$dir/compositor.log" 2>&1 &
	pid=$!
	for i in $(seq 100); do
		[ -S "$rt/wl-$name" ] && break
		sleep 0.1
	done
	XDG_RUNTIME_DIR=$rt WAYLAND_DISPLAY=wl-$name timeout -k 2 60 "$udmaview" --output wayland \
		"${demo[@]}" --format "$fmt" --timing "$dir/timing.json" >"$dir/udmaview.log" 2>&1
	echo $? >"$dir/udmaview.rc"
	# The compositor ends when its client went; it must not outlive the case.
	for i in $(seq 100); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		echo "wayland-dmabuf: $name: the test compositor did not end; killed"
		kill -9 "$pid"
		status=1
	fi
	wait "$pid" || status=1
	echo "wayland-dmabuf: $name: udmaview exit status $(cat "$dir/udmaview.rc")"
}

run dmabuf-XRGB8888 XRGB8888
run dmabuf-v3 XRGB8888 --dmabuf-version 3
run dmabuf-RGB565 RGB565
run unlisted XRGB8888 --dmabuf-formats AR24
rm -rf "$rt"
exit $status
