#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The console comes back: udmaview --output kms runs the demo on the active VT and is ended by
# SIGTERM, SIGHUP and the escape key (Ctrl+Alt+Q, sent as key presses through QMP send-key,
# read from evdev). Each time: exit status 0, the screendump shows the text console again
# (equal to before, up to the blinking cursor), the CRTC state (--list) equals the one before,
# and the VT is back in text mode with its keyboard mode and VT_AUTO.
# usage: restore.sh KMS_VM_CHECK UDMAVIEW
set -uo pipefail
check=$1 udmaview=$2
# shellcheck source=tests/vm/kms/lib.sh
. "$(dirname "$0")/lib.sh"
cursor_pixels=400 # fbcon's blinking cursor may differ between two screendumps

printf '\n\n  udmaview restore test: this text must come back\n' >/dev/tty1
sleep 1
shot "$out/before.png"
crtc_state >"$out/crtc-before.txt"
"$check" console-state >"$out/console-before.txt"
cat "$out/crtc-before.txt" "$out/console-before.txt"

send_escape() {
	timeout -k 2 30 "$UDMAVIEW_VMCTL" qmp '{"execute": "send-key", "arguments": {"keys": [
		{"type": "qcode", "data": "ctrl"}, {"type": "qcode", "data": "alt"},
		{"type": "qcode", "data": "q"}]}}' >/dev/null
}

for how in TERM HUP escape; do
	log=$out/run-$how.log
	timeout -k 5 90 "$udmaview" --source demo --size 800x600 --output kms --verbose \
		--timing "$out/timing-$how.json" >"$log" 2>&1 &
	pid=$!
	bg_pids+=("$pid")
	if ! wait_for "$log" 60 'presented'; then
		fail "$how: udmaview presented a frame"
		cat "$log"
		continue
	fi
	shot "$out/during-$how.png"
	"$check" console-state >"$out/console-during-$how.txt"
	if [ "$how" = TERM ]; then
		# VT switch away (release: master dropped, fbcon draws tty2) and back (re-acquire,
		# modeset, full redraw of the last frame).
		timeout -k 2 20 "$check" activate 2
		sleep 1
		shot "$out/away.png"
		"$check" console-state >"$out/console-away.txt"
		timeout -k 2 20 "$check" activate 1
		wait_for "$log" 20 'redrawing'
		sleep 1
		shot "$out/back.png"
		expect "VT switch: away on tty2 in text mode" grep -q '^/dev/tty2 kd text' "$out/console-away.txt"
		expect "VT switch: udmaview released and re-acquired the display" \
			grep -q 'switched away from /dev/tty1' "$log"
		expect "VT switch: away shows the text console" \
			"$check" compare "$out/before.png" "$out/away.png" 100000000
		expect "VT switch: back shows the 800x600 demo again" \
			bash -c "python3 '$(dirname "$UDMAVIEW_VMCTL")/pngcheck' size '$out/back.png' | grep -q 800"
	fi
	if [ "$how" = escape ]; then send_escape; else kill -"$how" "$pid"; fi
	wait "$pid"
	rc=$?
	grep -v presented "$log" | tail -n 12
	expect "$how: exit status 0 (got $rc)" test "$rc" -eq 0
	shot "$out/after-$how.png"
	crtc_state >"$out/crtc-after-$how.txt"
	"$check" console-state >"$out/console-after-$how.txt"
	expect "$how: graphics mode while running" grep -q 'kd graphics' "$out/console-during-$how.txt"
	expect "$how: demo was on screen" bash -c "! '$check' compare '$out/before.png' '$out/during-$how.png' 10000"
	expect "$how: CRTC state equals the one before" diff "$out/crtc-before.txt" "$out/crtc-after-$how.txt"
	expect "$how: console state equals the one before" diff "$out/console-before.txt" "$out/console-after-$how.txt"
	expect "$how: screendump shows the text console again" \
		"$check" compare "$out/before.png" "$out/after-$how.png" "$cursor_pixels"
done
expect "escape key: run ended as quit by user" grep -q 'quit by user' "$out/run-escape.log"
finish
