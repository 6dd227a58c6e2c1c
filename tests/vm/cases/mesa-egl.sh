#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# In the VM with tests/vm/run --mesa 25: the Mesa 25 prefix is what EGL loads (through the
# environment the runner sets), on the platforms a KMS GL path uses: GBM on the emulated card
# and surfaceless. Both must offer EGL_EXT_image_dma_buf_import (what the viewer's import
# probe then decides on), and the dynamic loader must have run the prefix's libEGL_mesa and
# libgallium-25.0. eglinfo is mesa-utils' (Debian 12), linked to libglvnd, so the vendor file
# decides which Mesa runs.
set -euo pipefail

want=${UDMAVIEW_VM_MESA:?run me through tests/vm/run --mesa 25}
prefix=${__EGL_VENDOR_LIBRARY_FILENAMES%%/usr/share/*}
log=$UDMAVIEW_VM_OUT/eglinfo.txt
loader=$UDMAVIEW_VM_OUT/eglinfo-ld-debug.txt
test -c /dev/dri/card0
rc=0
LD_DEBUG=libs timeout -k 5 150 eglinfo >"$log" 2>"$loader" || rc=$?
echo "mesa-egl: eglinfo exit status $rc (Mesa package $want, prefix $prefix)"
failures=0
expect() { # expect DESCRIPTION COMMAND...
	local what=$1
	shift
	if "$@"; then echo "ok - $what"; else echo "not ok - $what"; failures=$((failures + 1)); fi
}
for platform in GBM Surfaceless; do
	# the platform's block: from its "<name> platform:" line to the next platform's
	block=$(awk -v p="$platform platform:" '$0 == p {on = 1; next} / platform:$/ {on = 0} on' "$log")
	echo "mesa-egl: $platform: $(grep -m1 'EGL driver name' <<<"$block" || echo 'no driver')"
	expect "$platform platform offers EGL_EXT_image_dma_buf_import" \
		grep -q 'EGL_EXT_image_dma_buf_import' <<<"$block"
done
for lib in 'libEGL_mesa\.so\.0' 'libgallium-25\.0\.[^ ]*\.so'; do
	expect "the loader ran the prefix's ${lib//\\/}" \
		grep -Eq "calling init: $prefix/usr/lib/x86_64-linux-gnu/$lib" "$loader"
done
[ "$failures" -eq 0 ]
