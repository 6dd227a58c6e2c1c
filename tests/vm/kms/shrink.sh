#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A file shrunk under the KMS console: udmaview shows a region of a file in /run (tmpfs) with
# --no-udmabuf (the mmap fallback: the file is not sealed against shrinking) on the active VT;
# the test truncates the file to one page. udmaview must not die of SIGBUS: the guard turns
# the mapping into zero pages, the region source ends, and udmaview exits with status 1 (a
# runtime error) after restoring the console as on any exit: console state (text mode,
# keyboard mode, VT_AUTO) and screendump equal the ones before; the timing report counts
# shrunk_files 1.
# usage: shrink.sh KMS_VM_CHECK UDMAVIEW
set -uo pipefail
check=$1 udmaview=$2
# shellcheck source=tests/vm/kms/lib.sh
. "$(dirname "$0")/lib.sh"
cursor_pixels=400

printf '\n\n  udmaview shrink test: this text must come back\n' >/dev/tty1
sleep 1
shot "$out/before.png"
"$check" console-state >"$out/console-before.txt"
cat "$out/console-before.txt"

fb=/run/udmaview-shrink-fb
head -c $((800 * 600 * 4)) /dev/zero | tr '\0' '\200' >"$fb"
log=$out/run-shrink.log
timeout -k 5 90 "$udmaview" --source "region:$fb,size=800x600" --no-udmabuf --output kms \
	--verbose --timing "$out/timing-shrink.json" >"$log" 2>&1 &
pid=$!
bg_pids+=("$pid")
if wait_for "$log" 60 presented; then
	"$check" console-state >"$out/console-during.txt"
	expect "graphics mode while the region is shown" grep -q 'kd graphics' "$out/console-during.txt"
	truncate -s 4096 "$fb"
	wait "$pid"
	rc=$?
	tail -n 20 "$log"
	# timeout(1) reports a child killed by SIGBUS as 135 (128 + 7)
	expect "not killed by SIGBUS (exit status $rc)" test "$rc" -ne 135
	expect "exit status 1 after the file shrank (got $rc)" test "$rc" -eq 1
	expect "the timing report counts shrunk_files 1" \
		grep -q '"shrunk_files": 1' "$out/timing-shrink.json"
	sleep 1
	"$check" console-state >"$out/console-after.txt"
	expect "console state equals the one before" \
		diff "$out/console-before.txt" "$out/console-after.txt"
	shot "$out/after.png"
	expect "screendump shows the text console again" \
		"$check" compare "$out/before.png" "$out/after.png" "$cursor_pixels"
else
	fail "udmaview presented a frame of the region"
	cat "$log"
fi
rm -f "$fb"
finish
