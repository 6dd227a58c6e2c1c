# SPDX-License-Identifier: MIT
"""The cases of sdl_e2e.py, one module each, and what they share (common)."""
