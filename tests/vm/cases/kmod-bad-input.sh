#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# In the VM: tests/vm/kmod_bad_input (TAP, one row per bad input) against our module.
# usage: kmod-bad-input.sh KMOD_BAD_INPUT [STRESS_SECONDS]
set -euo pipefail

bin=${1:?usage: kmod-bad-input.sh KMOD_BAD_INPUT [STRESS_SECONDS]}
log=$UDMAVIEW_VM_OUT/kmod_bad_input.tap
rc=0
"$bin" "${2:-10}" 2>&1 | tee "$log" || rc=$?
rows=$(grep -c '^ok ' "$log" || true)
failed=$(grep -c '^not ok ' "$log" || true)
echo "kmod-bad-input: $rows rows ok, $failed rows failed, exit status $rc"
[ "$rc" -eq 0 ] && [ "$failed" -eq 0 ] && [ "$rows" -gt 0 ]
