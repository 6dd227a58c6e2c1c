# SPDX-License-Identifier: MIT
"""What udmaview's Python tests share (one copy each; model: libcamera's test/libtest).

    tap      ok/not ok/skip lines and the exit status meson reads (0 pass, 1 fail, 77 skip)
    procs    child processes owned by the test: own process group, die with the test, killed
             by PID on every path
    qmp      the QMP client
    xvfb     a private X server on a free display number
    cpio     the cpio 'newc' writer (initramfs)
    kernel   the VM test bed's cached Debian kernel, its modules, busybox
    qemu     which qemu-system-x86_64 runs: the machine's, or an extracted QEMU 10.0 prefix
    mesa     Mesa 25.0 from an extracted prefix, selected per process by its environment
    images   decode (Pillow: PNG, QMP's PPM screendumps) and pixel comparison
    timing   udmaview's --timing JSON

Scripts find this package with one line relative to their own file:
    sys.path.insert(0, str(Path(__file__).resolve().parents[N] / 'lib'))
(not PYTHONPATH: tests/vm/run starts the command inside the VM with a clean environment).
"""
