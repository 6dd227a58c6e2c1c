# SPDX-License-Identifier: MIT
"""The guest's initramfs: busybox, /init, the kernel modules in load order, udmabuf.ko."""

import shlex
from pathlib import Path

from udmaview_test.cpio import CpioWriter
from udmaview_test.kernel import Kernel, find_busybox, module_paths

# In load order. Display drivers before vgem, so the emulated display is /dev/dri/card0.
GUEST_MODULES = (
    'virtio_pci', '9pnet_virtio', '9p', 'overlay', 'virtio_console',
    'drm', 'drm_kms_helper', 'drm_shmem_helper', 'cirrus', 'bochs', 'virtio-gpu',
    'vgem', 'evdev',
)
GUEST_INIT = Path(__file__).resolve().parent / 'guest-init.sh'


def config_text(settings: dict) -> str:
    """Shell assignments sourced by /init."""
    return ''.join(f'{key}={shlex.quote(str(value))}\n' for key, value in settings.items())


def build(path: Path, kernel: Kernel, kmod, settings: dict) -> None:
    """Write the initramfs to path. settings become /vm.conf (see guest-init.sh)."""
    modules = module_paths(kernel, GUEST_MODULES)
    with CpioWriter(path) as cpio:
        for name in ('bin', 'dev', 'proc', 'sys', 'host', 'tmp', 'modules'):
            cpio.directory(name)
        cpio.chardev('dev/console', 5, 1)
        cpio.file('bin/busybox', find_busybox().read_bytes(), 0o755)
        cpio.file('init', GUEST_INIT.read_bytes(), 0o755)
        guest_modules = []
        for index, ko in enumerate(modules):
            name = f'modules/{index:02d}-{ko.name}'
            cpio.file(name, ko.read_bytes())
            guest_modules.append('/' + name)
        if kmod:
            cpio.file('modules/udmabuf.ko', Path(kmod).read_bytes())
        conf = dict(settings, MODULES=' '.join(guest_modules),
                    KMOD='/modules/udmabuf.ko' if kmod else '')
        cpio.file('vm.conf', config_text(conf).encode())
