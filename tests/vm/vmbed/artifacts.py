# SPDX-License-Identifier: MIT
"""Host-side artefacts of a VM run: a Debian kernel, our udmabuf.ko, the kernel selftest.

Everything lands in the cache dir (normally <build>/vm-cache) and is rebuilt only when its
inputs change. Concurrent runners serialise on <cache>/.build.lock.
"""

import contextlib
import dataclasses
import fcntl
import hashlib
import lzma
import os
import re
import shutil
import subprocess
from pathlib import Path

from udmaview_test import kernel as kernels
from udmaview_test.kernel import Kernel
from udmaview_test.tap import Failed

HERE = Path(__file__).resolve().parent.parent
KMOD_SOURCES = ('Kbuild', 'Makefile')
KMOD_SUFFIXES = ('.c', '.h')


class BuildError(Failed):
    """A host-side preparation step failed; the message says which."""


def log(msg: str) -> None:
    print(f'vm: {msg}', flush=True)


@contextlib.contextmanager
def locked(cache: Path):
    """Hold <cache>/.build.lock (exclusive) for the duration of the block."""
    cache.mkdir(parents=True, exist_ok=True)
    with open(cache / '.build.lock', 'w') as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def run_logged(argv, logfile: Path, what: str, **kwargs) -> None:
    """Run argv with its output in logfile; on failure raise with the log's tail."""
    with open(logfile, 'w') as out:
        rc = subprocess.call(argv, stdout=out, stderr=subprocess.STDOUT, **kwargs)
    if rc != 0:
        tail = ''.join(logfile.read_text(errors='replace').splitlines(True)[-30:])
        raise BuildError(f'{what} failed (exit {rc}); log {logfile}:\n{tail}')


def kmod_files(src: Path) -> list:
    """The files of kmod/ that go into the build (sources and build files, sorted)."""
    files = [p for p in src.iterdir()
             if p.is_file() and (p.name in KMOD_SOURCES or p.suffix in KMOD_SUFFIXES)]
    return sorted(files)


def tree_hash(files, extra: str) -> str:
    digest = hashlib.sha256(extra.encode())
    for path in files:
        digest.update(path.name.encode() + b'\0' + path.read_bytes() + b'\0')
    return digest.hexdigest()[:16]


def host_toolchain_vars(kernel: Kernel) -> list:
    """make variables for headers built with a compiler this machine lacks (Debian 13's want
    gcc-14): the machine's gcc, without the option gcc-12 does not know (the kernel then
    aligns functions with -falign-functions, its own fallback for older compilers), and
    without module BTF where pahole is missing (BTF only serves BPF tools)."""
    variables = kernel.headers / '.kernelvariables'
    wanted = re.search(r'\b(gcc-\d+)\b', variables.read_text()) if variables.exists() else None
    extra = []
    if wanted and not shutil.which(wanted.group(1)):
        extra += ['CC=gcc', 'CONFIG_CC_HAS_MIN_FUNCTION_ALIGNMENT=']
    if not shutil.which('pahole'):
        extra += ['CONFIG_DEBUG_INFO_BTF_MODULES=']
    return extra


def kbuild_argv(build: Path, kernel: Kernel) -> list:
    """kmod/Makefile takes KDIR=; without a Makefile, call kbuild directly."""
    jobs = f'-j{os.cpu_count() or 1}'
    extra = host_toolchain_vars(kernel)
    if (build / 'Makefile').exists():
        return ['make', jobs, '-C', str(build), f'KDIR={kernel.headers}', *extra]
    return ['make', jobs, '-C', str(kernel.headers), f'M={build}', *extra, 'modules']


def build_kmod(cache: Path, kernel: Kernel, src: Path) -> Path:
    """Build udmabuf.ko from a copy of src into <cache>/kmod-<kver>-<hash>/; cached by hash."""
    files = kmod_files(src)
    if not any(p.name == 'udmabuf.c' for p in files):
        raise BuildError(f'no udmabuf.c in {src}')
    build = cache / f'kmod-{kernel.kver}-{tree_hash(files, kernel.kver)}'
    ko = build / 'udmabuf.ko'
    if ko.exists():
        return ko
    log(f'building udmabuf.ko from {src} against {kernel.kver}')
    shutil.rmtree(build, ignore_errors=True)
    build.mkdir(parents=True)
    for path in files:
        shutil.copy2(path, build / path.name)
    run_logged(kbuild_argv(build, kernel), cache / f'{build.name}.log', 'building udmabuf.ko')
    if not ko.exists():
        raise BuildError(f'make succeeded but {ko} is missing')
    return ko


def build_selftest(cache: Path, kernel: Kernel) -> Path:
    """gcc -static the kernel's unchanged udmabuf selftest against the tree's UAPI header."""
    src = kernel.selftest_src / 'tools/testing/selftests/drivers/dma-buf/udmabuf.c'
    out = kernel.dir / 'selftest' / 'udmabuf'
    if out.exists():
        return out
    log(f'building the kernel selftest {src.name} (gcc -static)')
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix('.tmp')
    argv = ['gcc', '-static', '-O2', '-Wall', '-I', str(kernel.selftest_src / 'include/uapi'),
            '-o', str(tmp), str(src)]
    run_logged(argv, out.parent / 'build.log', 'building the udmabuf selftest')
    tmp.rename(out)
    return out


XZ_MAGIC = b'\xfd7zXZ\x00'
ZSTD_MAGIC = b'\x28\xb5\x2f\xfd'


def unzstd(payload: bytes, what: Path) -> bytes:
    """The first zstd frame of payload (the bzImage appends its size after it, which zstd
    reports as trailing garbage once the frame is complete)."""
    proc = subprocess.run(['zstd', '-dc', '-q'], input=payload, capture_output=True,
                          check=False)
    if not proc.stdout:
        raise BuildError(f'zstd -d of the payload of {what} failed: '
                         f'{proc.stderr.decode(errors="replace").strip()} (install zstd)')
    return proc.stdout


def extract_vmlinux(kernel: Kernel) -> Path:
    """The uncompressed ELF vmlinux from the bzImage's payload (xz in 6.1, zstd in 6.12), for
    PVH boot (no decompression under TCG)."""
    out = kernel.vmlinux
    if out.exists():
        return out
    image = kernel.vmlinuz.read_bytes()
    log(f'extracting vmlinux from {kernel.vmlinuz.name} for PVH boot')
    xz_at, zstd_at = image.find(XZ_MAGIC), image.find(ZSTD_MAGIC)
    if xz_at >= 0:
        elf = lzma.LZMADecompressor(format=lzma.FORMAT_XZ).decompress(image[xz_at:])
    elif zstd_at >= 0:
        elf = unzstd(image[zstd_at:], kernel.vmlinuz)
    else:
        raise BuildError(f'no xz or zstd payload in {kernel.vmlinuz}')
    if not elf.startswith(b'\x7fELF'):
        raise BuildError(f'the payload of {kernel.vmlinuz} is not an ELF file')
    tmp = out.with_suffix('.tmp')
    tmp.write_bytes(elf)
    tmp.rename(out)
    return out


@dataclasses.dataclass(frozen=True)
class Artifacts:
    kernel: Kernel
    kmod: Path  # None when not built
    kmod_loaded: bool  # /init loads kmod
    selftest: Path
    vmlinux: Path


def prepare(cache: Path, kmod_src: Path, kmod_mode: str, lane: str) -> Artifacts:
    """Fetch the kernel of lane and build what the guest needs; cached and serialised.
    kmod_mode: 'load' (built and loaded where the kernel lacks udmabuf), 'unloaded' (built,
    left to the command), 'none'."""
    kernel = kernels.fetch(cache, HERE / 'fetch-kernel', lane=lane)
    with locked(cache):
        # Where the kernel has its own udmabuf our module has nothing to do: it is built only
        # for a command that checks how the kernel refuses it.
        load = kmod_mode == 'load' and not kernel.builtin_udmabuf
        build = load or kmod_mode == 'unloaded'
        kmod = build_kmod(cache, kernel, kmod_src) if build else None
        selftest = build_selftest(cache, kernel)
        vmlinux = extract_vmlinux(kernel)
    return Artifacts(kernel=kernel, kmod=kmod, kmod_loaded=load, selftest=selftest,
                     vmlinux=vmlinux)
