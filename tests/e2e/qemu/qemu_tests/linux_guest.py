# SPDX-License-Identifier: MIT
"""Guest 2: Debian's kernel (the VM test bed's cache) with a busybox initramfs running
fbguest, which draws on /dev/fb0 and reports on the serial console. Two cards: std VGA
(vesafb, 1024x768x32: QEMU shows the guest's VRAM; at x16 QEMU converts the VRAM into a
surface of its own) or virtio-gpu-pci (the virtio_gpu driver's fbdev on a 2D resource: a
surface QEMU allocates itself)."""

import os

from udmaview_test import kernel as kernels
from udmaview_test.cpio import CpioWriter
from udmaview_test.tap import Skipped

INIT = """#!/bin/busybox sh
/bin/busybox mkdir -p /proc /sys /dev /bin
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sys /sys
/bin/busybox mount -t devtmpfs dev /dev
@INSMODS@# no text console drawing over the pattern
echo 0 > /sys/class/vtconsole/vtcon1/bind
/fbguest ${fbmode:-interactive}
/bin/busybox poweroff -f
"""


# The virtio-gpu card at the size fbguest's pattern checks expect.
VIRTIO_GPU = ['-device', 'virtio-gpu-pci,xres=1024,yres=768']
VIRTIO_GPU_MODULES = ('virtio_pci', 'virtio_gpu')


def build(env, modules=()):
    """(kernel, initrd) paths; the kernel is fetched once per build dir. modules (names, their
    dependencies added) are loaded before fbguest starts, after psmouse."""
    a = env.args
    if not a.fbguest or not a.fetch_kernel or not a.vm_cache:
        raise Skipped('no --fbguest/--fetch-kernel/--vm-cache')
    try:
        kernel = kernels.fetch(a.vm_cache, a.fetch_kernel, timeout=600)
    except kernels.KernelUnavailable as exc:
        raise Skipped(f'no Debian kernel: {exc}') from None
    kos = [kernel.module('drivers/input/mouse/psmouse.ko')]
    kos += [ko for ko in kernels.module_paths(kernel, modules) if ko not in kos] if modules else []
    insmods = ''.join(f'/bin/busybox insmod /{ko.name}\n' for ko in kos)
    initrd = os.path.join(env.tmp, 'initrd.cpio')
    with CpioWriter(initrd) as cpio:
        for name in ('bin', 'dev', 'proc', 'sys'):
            cpio.directory(name)
        cpio.file('init', INIT.replace('@INSMODS@', insmods).encode(), 0o755)
        cpio.file('bin/busybox', kernels.find_busybox().read_bytes(), 0o755)
        cpio.file('fbguest', open(a.fbguest, 'rb').read(), 0o755)
        for ko in kos:
            cpio.file(ko.name, ko.read_bytes())
    return str(kernel.vmlinuz), initrd


def serial(env):
    """The guest's serial console so far."""
    try:
        return open(os.path.join(env.tmp, 'serial.log'), errors='replace').read()
    except OSError:
        return ''


VESA_32BPP = 0x344  # 1024x768x32
VESA_16BPP = 0x317  # 1024x768x16 (RGB565)


def qemu_args(env, kernel, initrd, mode, vesa=True, vesa_mode=VESA_32BPP):
    """vesa: vesafb in vesa_mode (1024x768). Only with a VGA BIOS: without one the kernel's
    real-mode setup rejects the mode and waits 30 s for a key."""
    vga = f'vga={vesa_mode:#x} ' if vesa else ''
    return ['-m', '256', '-kernel', kernel, '-initrd', initrd,
            '-append', f'console=ttyS0 {vga}vt.global_cursor_default=0 loglevel=3 '
                       f'panic=-1 fbmode={mode}',
            '-serial', f'file:{env.tmp}/serial.log']


def start(env, mode='interactive', virtio_gpu=False, vesa_mode=VESA_32BPP):
    if virtio_gpu:
        kernel, initrd = build(env, VIRTIO_GPU_MODULES)
        return env.start_qemu(vga='none', extra=[*VIRTIO_GPU, *qemu_args(env, kernel, initrd,
                                                                         mode, vesa=False)])
    kernel, initrd = build(env)
    return env.start_qemu(extra=qemu_args(env, kernel, initrd, mode, vesa_mode=vesa_mode))
