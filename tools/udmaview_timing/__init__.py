# SPDX-License-Identifier: MIT
"""Plots, compares and summarises udmaview timing reports; see udmaview-timing --help."""
