# SPDX-License-Identifier: MIT
# shellcheck shell=bash disable=SC2034
# Shared helpers of the KMS VM cases (sourced; bash). Every process a case starts is bounded
# with timeout(1), and background ones are killed on exit.
out=${UDMAVIEW_VM_OUT:?run inside tests/vm/run}
udmaview=${udmaview:?the case script sets udmaview}
failures=0
bg_pids=()

cleanup() {
	for pid in "${bg_pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

ok() { echo "ok - $*"; }
fail() {
	echo "not ok - $*"
	failures=$((failures + 1))
}
expect() { # expect DESCRIPTION COMMAND...
	local what=$1
	shift
	if "$@"; then ok "$what"; else fail "$what"; fi
}

shot() { # shot FILE: QMP screendump of the guest display
	timeout -k 2 60 "$UDMAVIEW_VMCTL" screendump "$1" >/dev/null
}

# Waits up to $2 seconds for $1 to contain $3.
wait_for() {
	local i
	for ((i = 0; i < $2 * 10; i++)); do
		grep -q -- "$3" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

crtc_state() { # the CRTC and connector lines of --list
	timeout -k 2 20 "$udmaview" --list | grep -E '^  (crtc|connector)'
}

children() { # children PID: the processes whose parent is PID
	grep -l "^PPid:[[:space:]]*$1\$" /proc/[0-9]*/status 2>/dev/null | cut -d/ -f3
}

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# kill_and_time NAME PID: SIGKILL to PID; the console of tty1 must be usable again (text mode,
# keyboard on; polled every 5 ms by the checker) within 2 s, and the screendump must
# show the text console as before.png (polled; a QMP screendump takes 1-4 s under TCG on a
# loaded host, so that time is reported, not bounded).
within_2s() { [[ $1 =~ ^[0-9]+$ ]] && [ "$1" -le 2000 ]; }
kill_and_time() {
	local name=$1 t0 ms shot_ms i
	t0=$(now_ms)
	ms=$(timeout -k 2 30 "$check" kill-wait-console "$2" 1 10000)
	echo "# $name: SIGKILL -> usable text console (VT state): $ms ms"
	expect "$name: usable text console within 2 s ($ms ms)" within_2s "$ms"
	for ((i = 0; i < 10; i++)); do
		shot "$out/after-$name.png"
		if "$check" compare "$out/before.png" "$out/after-$name.png" "${cursor_pixels:-400}" \
			>/dev/null; then
			shot_ms=$(($(now_ms) - t0))
			break
		fi
	done
	echo "# $name: SIGKILL -> screendump shows the text console: ${shot_ms:-never} ms"
	expect "$name: screendump shows the text console again" test -n "${shot_ms:-}"
}

# tiles_check DIR ARGS...: two demo sources (seeds 3 and 8, 320x240) in a grid on 1024x768
# with --scale integer --filter nearest and ARGS (the path). Tile i is the half
# [512·i, 512·(i+1)) × 768, its picture area that minus a 2-pixel frame (508x764), the
# picture 1:1 in its centre:
# x = 512·i + 2 + (508 - 320) / 2 = 96 + 512·i, y = 2 + (764 - 240) / 2 = 264. At 0.02 fps each
# source shows its frame 1 for 50 s: the screendump must hold both headless frames 1 exactly.
tiles_check() {
	local dir=$1 seed pid rc i
	shift
	mkdir -p "$dir"
	for seed in 3 8; do
		timeout -k 2 60 "$udmaview" --source demo --size 320x240 --frames 1 --seed "$seed" \
			--output headless --dump-png "$dir/expected-$seed.png" >"$dir/headless.log" 2>&1
	done
	timeout -k 5 200 "$udmaview" --size 320x240 --fps 0.02 --source demo --seed 3 \
		--source demo --seed 8 --output kms --mode 1024x768 --scale integer --filter nearest \
		"$@" --verbose --timing "$dir/timing.json" >"$dir/run.log" 2>&1 &
	pid=$!
	bg_pids+=("$pid")
	if ! wait_for "$dir/run.log" 150 'frame 2 presented'; then
		fail "tiles: both sources presented their first frame"
	fi
	shot "$dir/screen.png"
	kill -TERM "$pid"
	wait "$pid"
	rc=$?
	grep -v presented "$dir/run.log" | tail -n 6
	expect "tiles: SIGTERM, exit status 0 (got $rc)" test "$rc" -eq 0
	i=0
	for seed in 3 8; do
		expect "tiles: tile $((i + 1)) equals demo seed $seed frame 1 at $((96 + 512 * i)),264" \
			"$check" compare "$dir/screen.png" "$dir/expected-$seed.png" 0 $((96 + 512 * i)) 264
		i=$((i + 1))
	done
	expect "tiles: the timing report has both sources" \
		grep -q '"sources": \[' "$dir/timing.json"
}

finish() {
	if [ "$failures" -eq 0 ]; then echo "# all passed"; exit 0; fi
	echo "# $failures failed"
	exit 1
}
