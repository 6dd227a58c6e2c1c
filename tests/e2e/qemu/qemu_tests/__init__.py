# SPDX-License-Identifier: MIT
"""The cases of qemu_e2e.py, one module each, and what they share (env, damage, linux_guest)."""
