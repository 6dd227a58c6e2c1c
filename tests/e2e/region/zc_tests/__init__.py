# SPDX-License-Identifier: MIT
"""The cases of zc_e2e.py (host_region, vm_region, vm_blob) and what they share: the inner
guest (guest), udmaview runs (viewer), the ramfb case driver (region), the expected pixels
and their host-side check (pixels), the test-bed helpers of the nested runs (nested)."""
