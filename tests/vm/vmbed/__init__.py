# SPDX-License-Identifier: MIT
"""udmaview VM test bed: Debian's kernel in QEMU TCG with the host root over virtio-9p."""
