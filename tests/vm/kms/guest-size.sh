#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# cirrus-vga, --guest-size follow on the console: a scripted QEMU stand-in (ui_info_peer.py
# map, on a private dbus-daemon) starts at 64x48, which no cirrus mode has, so udmaview sets
# the preferred mode and must call SetUIInfo with that mode's size; the peer then switches to a
# ScanoutMap of exactly that size (a memfd udmabuf can take) and sends steady UpdateMaps. The
# timing report must show those frames on the plane path ("import") at 1:1: 0 bytes copied
# and 0 imports per steady frame, one import for the new surface.
# usage: guest-size.sh KMS_VM_CHECK UDMAVIEW
set -uo pipefail
udmaview=$2
# shellcheck source=tests/vm/kms/lib.sh
. "$(dirname "$0")/lib.sh"
bus=/tmp/ui-info-bus # sockets cannot live on the 9p share $out is on
peer_py=$(cd "$(dirname "$0")/../../e2e/qemu" && pwd)/ui_info_peer.py

timeout -k 2 120 dbus-daemon --session --nofork --nopidfile --address="unix:path=$bus" \
	>"$out/dbus.log" 2>&1 &
bg_pids+=($!)
for ((i = 0; i < 50; i++)); do [ -S "$bus" ] && break; sleep 0.1; done
timeout -k 2 110 python3 "$peer_py" "unix:path=$bus" map >"$out/peer.log" 2>&1 &
bg_pids+=($!)
sleep 2
timeout -k 5 100 "$udmaview" --source "qemu:unix:path=$bus" --output kms \
	--timing "$out/timing.json" --verbose >"$out/udmaview.log" 2>&1 &
viewer=$!
bg_pids+=("$viewer")
expect "the peer's steady UpdateMaps were sent" wait_for "$out/peer.log" 60 "steady done"
sleep 1
kill -TERM "$viewer"
wait "$viewer"
expect "udmaview ended cleanly" test $? -eq 0
echo "# peer: $(grep -c '^ok ' "$out/peer.log") calls accepted; $(grep set_ui_info "$out/peer.log")"
grep -E "kms: source|mode" "$out/udmaview.log" | head -5 | sed 's/^/# /'

expect "SetUIInfo asked for the mode's size, the steady frames went to the plane at 1:1" \
	python3 - "$out/peer.log" "$out/timing.json" "$out/udmaview.log" <<'PY'
import json, re, sys
peer, timing, log = open(sys.argv[1]).read(), json.load(open(sys.argv[2])), open(sys.argv[3]).read()
calls = [json.loads(l)['set_ui_info'] for l in peer.splitlines() if l.startswith('{')]
mode = re.findall(r'on mode (\d+)x(\d+)', log)
print(f'# SetUIInfo calls {calls}; modes {mode}')
ok = bool(calls) and bool(mode) and calls[0][:2] == [int(mode[0][0]), int(mode[0][1])]
frames = [f for f in timing['frames'] if not f['dropped']]
big = [f for f in frames if f['buffer_id'] == frames[-1]['buffer_id']]
steady = big[1:]
print(f"# {len(frames)} frames; {len(big)} of the mode-sized buffer: paths "
      f"{sorted({f['path'] for f in big})}, bytes {sum(f['bytes_copied'] for f in steady)}, "
      f"imports {[f['imports'] for f in big]}")
print(f"# source_counters {timing['summary'].get('source_counters')}")
ok = ok and len(steady) >= 20 and all(f['path'] == 'import' for f in big)
ok = ok and all(f['bytes_copied'] == 0 and f['imports'] == 0 for f in steady)
sc = timing['summary']['source_counters']
ok = ok and sc['ui_info_calls'] >= 1 and [sc['guest_width'], sc['guest_height']] == calls[0][:2]
sys.exit(0 if ok else 1)
PY
finish
