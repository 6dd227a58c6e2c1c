#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The console survives a crash, as root without a seat manager: SIGKILL of udmaview --output
# kms leaves a usable text console within 2 s (the guardian restores text mode, the keyboard
# mode and VT_AUTO; the kernel restores fbcon's framebuffer): console state and screendump
# equal the ones before. Starting again works. A VT left stuck (guardian and viewer both
# killed: graphics mode, keyboard off, nobody DRM master) is refused with the way out, and
# --take-over resets it, shows the demo and leaves a usable console on SIGTERM.
# usage: crash.sh KMS_VM_CHECK UDMAVIEW
set -uo pipefail
check=$1 udmaview=$2
# shellcheck source=tests/vm/kms/lib.sh
. "$(dirname "$0")/lib.sh"
cursor_pixels=400

printf '\n\n  udmaview crash test: this text must come back\n' >/dev/tty1
sleep 1
shot "$out/before.png"
"$check" console-state >"$out/console-before.txt"
cat "$out/console-before.txt"

# start NAME [ARGS...]: runs the demo in the background until it presented a frame; pid: the
# timeout(1) around it (forwards SIGTERM), viewer: udmaview itself.
start() {
	local name=$1
	shift
	timeout -k 5 90 "$udmaview" --source demo --size 800x600 --output kms --verbose "$@" \
		>"$out/run-$name.log" 2>&1 &
	pid=$!
	bg_pids+=("$pid")
	if ! wait_for "$out/run-$name.log" 60 presented; then
		fail "$name: udmaview presented a frame"
		cat "$out/run-$name.log"
		return 1
	fi
	viewer=$(children "$pid")
}

# 1. SIGKILL: the guardian gives the console back.
if start kill; then
	"$check" console-state >"$out/console-during-kill.txt"
	expect "kill: graphics mode and keyboard off while running" \
		grep -q 'kd graphics kb 4 ' "$out/console-during-kill.txt"
	kill_and_time kill "$viewer"
	wait "$pid" 2>/dev/null
	"$check" console-state >"$out/console-kill.txt"
	expect "kill: console state equals the one before" \
		diff "$out/console-before.txt" "$out/console-kill.txt"
fi

# 2. Starting again works; SIGTERM restores as before.
if start again; then
	kill -TERM "$pid"
	wait "$pid"
	expect "again: exit status 0 after SIGTERM" test $? -eq 0
	"$check" console-state >"$out/console-again.txt"
	expect "again: console state equals the one before after SIGTERM" \
		diff "$out/console-before.txt" "$out/console-again.txt"
fi

# 3. A stuck VT: the guardian dies first, then the viewer; nobody restores.
if start stuck; then
	guardian=$(children "$viewer")
	expect "stuck: udmaview has a guardian child ($guardian)" test -n "$guardian"
	# shellcheck disable=SC2086
	kill -KILL $guardian
	kill -KILL "$viewer"
	wait "$pid" 2>/dev/null
	sleep 1
	"$check" console-state >"$out/console-stuck.txt"
	expect "stuck: VT left in graphics mode" grep -q 'kd graphics' "$out/console-stuck.txt"
	timeout -k 2 30 "$udmaview" --source demo --size 800x600 --output kms --frames 10 \
		>"$out/run-refused.log" 2>&1
	rc=$?
	head -c 400 "$out/run-refused.log"
	expect "stuck: refused with exit status 1 (got $rc)" test "$rc" -eq 1
	expect "stuck: says nobody holds DRM master and offers --take-over" \
		grep -q 'no program holds DRM master.*--take-over' "$out/run-refused.log"
	if start take-over --take-over; then
		kill -TERM "$pid"
		wait "$pid"
		expect "take-over: exit status 0 after SIGTERM" test $? -eq 0
		"$check" console-state >"$out/console-take-over.txt"
		cat "$out/console-take-over.txt"
		expect "take-over: text mode, keyboard on, VT_AUTO" \
			grep -Eq 'kd text kb [0-3] vt auto' "$out/console-take-over.txt"
		shot "$out/after-take-over.png"
		expect "take-over: screendump shows the text console" \
			"$check" compare "$out/before.png" "$out/after-take-over.png" "$cursor_pixels"
	fi
fi
finish
