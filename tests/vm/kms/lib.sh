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

finish() {
	if [ "$failures" -eq 0 ]; then echo "# all passed"; exit 0; fi
	echo "# $failures failed"
	exit 1
}
