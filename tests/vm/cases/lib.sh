# SPDX-License-Identifier: MIT
# shellcheck shell=bash
# Helpers for the case scripts (sourced; bash). Python is slow to start under TCG, so the
# quick in-guest checks are plain bash; pixel checks run on the host (run --host-check).

# png_size FILE: prints WxH from the PNG header; fails when FILE is not a PNG.
png_size() {
	local sig w h
	sig=$(od -An -tx1 -N8 "$1" | tr -d ' \n')
	if [ "$sig" != 89504e470d0a1a0a ]; then
		echo "png_size: $1 is not a PNG" >&2
		return 1
	fi
	read -r w h < <(od -An -tu4 --endian=big -j16 -N8 "$1")
	echo "${w}x${h}"
}
