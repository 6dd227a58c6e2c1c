# SPDX-License-Identifier: MIT
"""The VM test bed's Debian kernels (<build>/vm-cache/kernel-<kver>/), their modules, busybox.

Two kernel lanes: 6.1 (Debian 12; udmabuf comes from our kmod) and 6.12 (Debian 13; udmabuf
is built in, CONFIG_UDMABUF=y)."""

import dataclasses
import os
import shutil
import subprocess
from pathlib import Path

from . import procs
from .tap import Failed

FETCH_KERNEL = Path(__file__).resolve().parents[2] / 'vm' / 'fetch-kernel'
LANES = ('6.1', '6.12')
DEFAULT_LANE = '6.1'


class KernelUnavailable(Failed):
    """No kernel could be fetched (e.g. no Debian archive reachable)."""


@dataclasses.dataclass(frozen=True)
class Kernel:
    """One extracted Debian kernel under <cache>/kernel-<kver>/."""
    dir: Path
    kver: str

    @classmethod
    def at(cls, kdir: Path):
        kdir = Path(kdir)
        return cls(dir=kdir, kver=(kdir / 'kver').read_text().strip())

    @property
    def root(self) -> Path:
        return self.dir / 'root'

    @property
    def vmlinuz(self) -> Path:
        return self.root / 'boot' / f'vmlinuz-{self.kver}'

    @property
    def vmlinux(self) -> Path:
        """The uncompressed ELF for PVH boot (tests/vm/run extracts it)."""
        return self.dir / 'vmlinux'

    @property
    def headers(self) -> Path:
        return self.root / 'usr' / 'src' / f'linux-headers-{self.kver}'

    @property
    def selftest_src(self) -> Path:
        return self.dir / 'selftest-src'

    @property
    def builtin_udmabuf(self) -> bool:
        """The kernel provides /dev/udmabuf itself (CONFIG_UDMABUF=y): our kmod must not
        load there."""
        config = self.root / 'boot' / f'config-{self.kver}'
        return 'CONFIG_UDMABUF=y\n' in config.read_text()

    def module(self, relpath: str) -> Path:
        """A .ko below lib/modules/<kver>/kernel/."""
        return self.root / 'lib' / 'modules' / self.kver / 'kernel' / relpath


def fetch(cache: Path, script: Path = FETCH_KERNEL, timeout: float = 900,
          lane: str = DEFAULT_LANE) -> Kernel:
    """The cached kernel of lane, downloaded and extracted once by tests/vm/fetch-kernel
    (which flocks the cache itself; its messages go to our stderr)."""
    return Kernel.at(procs.fetched_path([script, cache, lane], timeout, KernelUnavailable,
                                        'no Debian archive reachable? see its messages above'))


def cached(cache: Path) -> Kernel:
    """The kernel fetch() left in cache (<cache>/current names it); no download."""
    current = Path(cache) / 'current'
    if not current.exists():
        raise Failed(f'no kernel cached in {cache} (run tests/vm/fetch-kernel {cache})')
    return Kernel.at(Path(current.read_text().strip()))


def find_tool(name: str) -> str:
    """kmod's tools live in /usr/sbin, which a non-root PATH may lack."""
    path = shutil.which(name, path=os.environ.get('PATH', '') + ':/usr/sbin:/sbin')
    if not path:
        raise Failed(f'{name} not found: install kmod (tools/install-deps)')
    return path


def module_paths(kernel: Kernel, names) -> list:
    """names as .ko files with their dependencies, in load order (modprobe --show-depends)."""
    argv = [find_tool('modprobe'), '-d', str(kernel.root), '-S', kernel.kver,
            '--show-depends', '-a', *names]
    proc = subprocess.run(argv, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise Failed(f'{" ".join(argv)}: {proc.stderr.strip()}')
    paths = []
    for line in proc.stdout.splitlines():
        words = line.split()
        if len(words) > 1 and words[0] == 'insmod' and Path(words[1]) not in paths:
            paths.append(Path(words[1]))
    return paths


def find_busybox() -> Path:
    """The static busybox (package busybox-static): an initramfs has no libc."""
    for cand in ('/bin/busybox', '/usr/bin/busybox'):
        if os.path.exists(cand):
            return Path(cand)
    raise Failed('busybox not found: install busybox-static (tools/install-deps)')
