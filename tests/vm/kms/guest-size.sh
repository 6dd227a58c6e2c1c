#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# cirrus-vga, --guest-size follow on the console, with a scripted QEMU stand-in
# (ui_info_peer.py, on a private dbus-daemon) whose first picture is 800x600, a size cirrus
# has a mode for:
#  follow: udmaview sets the connector's preferred mode (not 800x600) and must call SetUIInfo
#    with that mode's size; the peer then switches to a ScanoutMap of exactly that size (a
#    memfd udmabuf can take) and sends steady UpdateMaps. The timing report must show those
#    frames on the plane path ("import") at 1:1: 0 bytes copied and 0 imports per steady
#    frame, one import for the new surface.
#  kept: the peer has no SetUIInfo (a device that takes no sizes) and its picture is a
#    ScanoutMap of 800x600: once the call is refused udmaview sets the 800x600 mode and shows
#    the UpdateMaps after it on the plane at 1:1, 0 bytes, 0 imports (output_counters
#    guest_kept_size 1, mode 800x600).
#  tiles: two such peers (map) in two tiles on the cpu path: each is asked once, for its
#    tile's inner size (the preferred mode split by the tile grid, minus the frame), and takes it.
# usage: guest-size.sh KMS_VM_CHECK UDMAVIEW
set -uo pipefail
udmaview=$2
# shellcheck source=tests/vm/kms/lib.sh
. "$(dirname "$0")/lib.sh"
bus=/tmp/ui-info-bus # sockets cannot live on the 9p share $out is on
peer_py=$(cd "$(dirname "$0")/../../e2e/qemu" && pwd)/ui_info_peer.py

bus2=/tmp/ui-info-bus2 # the second source of the tiles run
for b in "$bus" "$bus2"; do
	timeout -k 2 150 dbus-daemon --session --nofork --nopidfile --address="unix:path=$b" \
		>"$out/dbus-${b##*/}.log" 2>&1 &
	bg_pids+=($!)
	for ((i = 0; i < 50; i++)); do [ -S "$b" ] && break; sleep 0.1; done
done

run() { # run NAME PEER_MODES [OPTION...]: the peer and udmaview until the peer's steady state
	local name=$1 modes=$2 peer viewer
	shift 2
	timeout -k 2 50 python3 "$peer_py" "unix:path=$bus" "$modes" 800x600 >"$out/peer-$name.log" 2>&1 &
	peer=$!
	bg_pids+=("$peer")
	sleep 2
	timeout -k 5 45 "$udmaview" --source "qemu:unix:path=$bus" --output kms \
		--timing "$out/timing-$name.json" --verbose "$@" >"$out/udmaview-$name.log" 2>&1 &
	viewer=$!
	bg_pids+=("$viewer")
	expect "$name: the peer's steady UpdateMaps were sent" \
		wait_for "$out/peer-$name.log" 30 "steady done"
	sleep 1
	kill -TERM "$viewer"
	wait "$viewer"
	expect "$name: udmaview ended cleanly" test $? -eq 0
	kill -TERM "$peer" 2>/dev/null
	wait "$peer" 2>/dev/null
	grep -E "kms: source|kept" "$out/udmaview-$name.log" | head -5 | sed 's/^/# /'
}

# The frames of the last buffer: all on the plane, the steady ones without bytes or imports.
check_steady() { # check_steady NAME [FILE] (python, the case's own checks on stdin)
	python3 - "$out/peer-$1.log" "$out/timing-$1.json" "$out/udmaview-$1.log" "${2:-}"
}

run follow map
expect "follow: SetUIInfo asked for the preferred mode (not the picture's 800x600), the steady frames went to the plane at 1:1" \
	check_steady follow <<'PY'
import json, re, sys
peer, timing, log = open(sys.argv[1]).read(), json.load(open(sys.argv[2])), open(sys.argv[3]).read()
calls = [json.loads(l)['set_ui_info'] for l in peer.splitlines() if l.startswith('{')]
mode = re.findall(r'on mode (\d+)x(\d+)', log)
oc, sc = timing['summary']['output_counters'], timing['summary']['source_counters']
print(f'# SetUIInfo calls {calls}; modes {mode}; output_counters {oc}')
ok = bool(calls) and calls[0][:2] == [oc['mode_width'], oc['mode_height']]
ok = ok and [oc['mode_width'], oc['mode_height']] != [800, 600] and oc['guest_kept_size'] == 0
frames = [f for f in timing['frames'] if not f['dropped']]
big = [f for f in frames if f['buffer_id'] == frames[-1]['buffer_id']]
steady = big[1:]
print(f"# {len(frames)} frames; {len(big)} of the mode-sized buffer: paths "
      f"{sorted({f['path'] for f in big})}, bytes {sum(f['bytes_copied'] for f in steady)}, "
      f"imports {[f['imports'] for f in big]}")
print(f"# source_counters {sc}")
ok = ok and len(steady) >= 20 and all(f['path'] == 'import' for f in big)
ok = ok and all(f['bytes_copied'] == 0 and f['imports'] == 0 for f in steady)
ok = ok and sc['ui_info_calls'] >= 1 and [sc['guest_width'], sc['guest_height']] == calls[0][:2]
sys.exit(0 if ok else 1)
PY

# --kms-path plane: the scaled picture before the refusal is copied without starting GL (6 s).
run kept nomethod,map --kms-path plane
expect "kept: SetUIInfo refused, the mode set to the picture's 800x600, the steady frames on the plane at 1:1" \
	check_steady kept <<'PY'
import json, sys
timing = json.load(open(sys.argv[2]))
oc, sc = timing['summary']['output_counters'], timing['summary']['source_counters']
print(f'# output_counters {oc}; source_counters {sc}')
ok = oc['guest_kept_size'] == 1 and [oc['mode_width'], oc['mode_height']] == [800, 600]
ok = ok and sc['ui_info_calls'] >= 1 and sc['guest_size_ignored'] >= 1
frames = [f for f in timing['frames'] if not f['dropped']]
# Scaled (composed) until the refusal, then on the plane: the redraw on the new mode imported
# the buffer, so from the first frame on the plane on, 0 bytes and 0 imports.
first = next((i for i, f in enumerate(frames) if f['path'] == 'import'), len(frames))
steady = frames[first:]
print(f"# {len(frames)} frames, {first} before the plane; from then: paths "
      f"{sorted({f['path'] for f in steady})}, bytes {sum(f['bytes_copied'] for f in steady)}, "
      f"imports {[f['imports'] for f in steady]}")
ok = ok and len(steady) >= 10 and all(f['path'] == 'import' for f in steady)
ok = ok and all(f['bytes_copied'] == 0 and f['imports'] == 0 for f in steady)
sys.exit(0 if ok else 1)
PY

# Two sources: the cpu path's grid of 2 tiles on the preferred mode.
timeout -k 2 50 python3 "$peer_py" "unix:path=$bus2" map 800x600 >"$out/peer-tiles2.log" 2>&1 &
bg_pids+=($!)
run tiles map --kms-path cpu --source "qemu:unix:path=$bus2"
expect "tiles: the second peer's steady UpdateMaps were sent" \
	wait_for "$out/peer-tiles2.log" 10 "steady done"
expect "tiles: each source asked once, for its tile's size; both took it" \
	check_steady tiles "$out/peer-tiles2.log" <<'PY'
import json, sys
timing = json.load(open(sys.argv[2]))
oc = timing['summary']['output_counters']
mode_w, mode_h = oc['mode_width'], oc['mode_height']
frame = 2  # the tile's frame (tile_layout.h), inside a grid of 2 columns, 1 row
want = [mode_w // 2 - 2 * frame, mode_h - 2 * frame]
ok = mode_w > 0
for log in (sys.argv[1], sys.argv[4]):
    text = open(log).read()
    calls = [json.loads(l)['set_ui_info'][:2] for l in text.splitlines() if l.startswith('{')]
    print(f'# {log.rsplit("/", 1)[-1]}: SetUIInfo {calls}, want [{want}] on mode {mode_w}x{mode_h}; '
          f'{"took it" if f"ScanoutMap {want[0]}x{want[1]}: accepted" in text else "did not take it"}')
    ok = ok and calls == [want] and f"ScanoutMap {want[0]}x{want[1]}: accepted" in text
sys.exit(0 if ok else 1)
PY
finish
