# SPDX-License-Identifier: MIT
"""The guest's initramfs: busybox, /init, the kernel modules in load order, udmabuf.ko."""

import os
import shlex
import shutil
import stat
import subprocess
from pathlib import Path

from .artifacts import BuildError, Kernel

# In load order. Display drivers before vgem, so the emulated display is /dev/dri/card0.
GUEST_MODULES = (
    'virtio_pci', '9pnet_virtio', '9p', 'overlay', 'virtio_console',
    'drm', 'drm_kms_helper', 'drm_shmem_helper', 'cirrus', 'bochs', 'virtio-gpu',
    'vgem', 'evdev',
)
GUEST_INIT = Path(__file__).resolve().parent / 'guest-init.sh'


def find_busybox() -> Path:
    """The static busybox (package busybox-static); the guest has no libc outside the chroot."""
    for cand in ('/bin/busybox', '/usr/bin/busybox'):
        path = Path(cand)
        if path.exists():
            return path
    raise BuildError('busybox not found: install busybox-static (tools/install-deps)')


def find_tool(name: str) -> str:
    """kmod's tools live in /usr/sbin, which a non-root PATH may lack."""
    path = shutil.which(name, path=os.environ.get('PATH', '') + ':/usr/sbin:/sbin')
    if not path:
        raise BuildError(f'{name} not found: install kmod (tools/install-deps)')
    return path


def module_paths(kernel: Kernel, names) -> list:
    """Resolve names to .ko files in dependency order with modprobe --show-depends."""
    argv = [find_tool('modprobe'), '-d', str(kernel.root), '-S', kernel.kver,
            '--show-depends', '-a', *names]
    proc = subprocess.run(argv, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise BuildError(f'{" ".join(argv)}: {proc.stderr.strip()}')
    paths = []
    for line in proc.stdout.splitlines():
        words = line.split()
        if len(words) > 1 and words[0] == 'insmod' and words[1] not in paths:
            paths.append(words[1])
    return [Path(p) for p in paths]


class CpioWriter:
    """Minimal cpio 'newc' archive writer (what the kernel unpacks as initramfs)."""

    def __init__(self, path: Path):
        self._out = open(path, 'wb')
        self._ino = 1

    def _entry(self, name: str, mode: int, data: bytes = b'', rdev=(0, 0)) -> None:
        fields = [self._ino, mode, 0, 0, 1, 0, len(data), 0, 0, rdev[0], rdev[1],
                  len(name) + 1, 0]
        self._ino += 1
        header = b'070701' + b''.join(b'%08x' % f for f in fields)
        self._write_padded(header + name.encode() + b'\0')
        self._write_padded(data)

    def _write_padded(self, blob: bytes) -> None:
        self._out.write(blob)
        self._out.write(b'\0' * (-len(blob) % 4))

    def directory(self, name: str) -> None:
        self._entry(name, stat.S_IFDIR | 0o755)

    def file(self, name: str, data: bytes, mode: int = 0o644) -> None:
        self._entry(name, stat.S_IFREG | mode, data)

    def chardev(self, name: str, major: int, minor: int) -> None:
        self._entry(name, stat.S_IFCHR | 0o600, rdev=(major, minor))

    def close(self) -> None:
        self._entry('TRAILER!!!', 0)
        self._out.close()


def config_text(settings: dict) -> str:
    """Shell assignments sourced by /init."""
    return ''.join(f'{key}={shlex.quote(str(value))}\n' for key, value in settings.items())


def build(path: Path, kernel: Kernel, kmod, settings: dict) -> None:
    """Write the initramfs to path. settings become /vm.conf (see guest-init.sh)."""
    modules = module_paths(kernel, GUEST_MODULES)
    cpio = CpioWriter(path)
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
    cpio.close()
