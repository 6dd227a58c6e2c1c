#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The gl cirrus case on Debian 13's stack (tests/vm/run --kernel 6.12 --mesa 25), in one boot:
# 1. EGL runs the Mesa 25 prefix and offers the dma-buf import on GBM and surfaceless
#    (cases/mesa-egl.sh);
# 2. the import probe's decision on kms_swrast 25: llvmpipe still crashes sampling an imported
#    udmabuf (measured), so the viewer must refuse the import and upload damage: every frame
#    of a run that outlasts the probe's verdict takes gl-upload, bytes are copied, and
#    "imports" counts one texture per buffer, never one per frame, and the reason is the
#    probe's crash (summary.output_counters: gl_import_probe_usable 0, _signal 11). A Mesa
#    that imports fine turns this red, so the change is seen, not silent;
# 3. gl-cirrus.sh unchanged on that Mesa: pixels equal the references as on Mesa 22.3.
# usage: gl-mesa25.sh KMS_VM_CHECK UDMAVIEW
set -uo pipefail
check=$1 udmaview=$2
here=$(dirname "$0")
# shellcheck source=tests/vm/kms/lib.sh
. "$here/lib.sh"
export MESA_SHADER_CACHE_DIR=/tmp/udmaview-mesa-shader-cache

expect "EGL runs Mesa ${UDMAVIEW_VM_MESA:-?} from the prefix, with the dma-buf import" \
	"$here/../cases/mesa-egl.sh"

log=$out/run-probe.log
timeout -k 5 150 "$udmaview" --source demo --size 800x600 --output kms --kms-path gl --verbose \
	--timing "$out/timing-probe.json" >"$log" 2>&1 &
pid=$!
bg_pids+=("$pid")
# Waiting on the verdict's line only orders the steps; the decision is read from the report.
if wait_for "$log" 120 'cannot use imported dma-bufs\|importing from the next frame on'; then
	sleep 2 # frames after the verdict
else
	fail "probe: a verdict within 120 s"
fi
kill -TERM "$pid"
wait "$pid"
rc=$?
grep -v presented "$log" | tail -n 6
expect "probe: SIGTERM, exit status 0 (got $rc)" test "$rc" -eq 0
expect "probe: import refused on Mesa 25's llvmpipe (probe killed by SIGSEGV): every frame gl-upload, 1 texture per buffer" \
	python3 -c '
import json, sys
t = json.load(open(sys.argv[1]))
paths = {f["path"] for f in t["frames"]} - {""}
buffers = {f["buffer_id"] for f in t["frames"] if f["path"]}
s = t["summary"]
c = s.get("output_counters", {})
print("# paths", sorted(paths), "imports", s["imports_total"], "buffers", len(buffers),
      "bytes copied", s["bytes_copied_total"], "probe: usable",
      c.get("gl_import_probe_usable"), "signal", c.get("gl_import_probe_signal"))
# The reason: the probe process was killed by SIGSEGV (11) sampling the import.
sys.exit(not (paths == {"gl-upload"} and s["imports_total"] == len(buffers)
              and s["bytes_copied_total"] > 0 and c.get("gl_import_probe_usable") == 0
              and c.get("gl_import_probe_signal") == 11))' \
	"$out/timing-probe.json"
[ "$failures" -eq 0 ] || finish
exec "$here/gl-cirrus.sh" "$check" "$udmaview"
