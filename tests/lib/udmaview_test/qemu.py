# SPDX-License-Identifier: MIT
"""Which QEMU a test runs: the machine's qemu-system-x86_64 (Debian 12: 7.2), or an extracted
prefix (QEMU 10.0 from tests/e2e/qemu/fetch-qemu10) with its own firmware and modules."""

import dataclasses
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from .tap import Failed

FETCH_QEMU10 = Path(__file__).resolve().parents[2] / 'e2e' / 'qemu' / 'fetch-qemu10'
MODULE_SUBDIR = 'usr/lib/x86_64-linux-gnu/qemu'


class QemuUnavailable(Failed):
    """The QEMU asked for cannot run here (not installed, or its fetch failed)."""


@dataclasses.dataclass(frozen=True)
class Qemu:
    """A qemu-system-x86_64 binary with what it needs from outside its default paths."""
    binary: str
    firmware_dirs: tuple = ()
    module_dir: str = ''

    @classmethod
    def system(cls):
        return cls(shutil.which('qemu-system-x86_64') or '/usr/bin/qemu-system-x86_64')

    @classmethod
    def at_prefix(cls, prefix):
        """An extracted (dpkg -x) QEMU: its binary, firmware (-L) and module directories.
        The installed QEMU's paths are compiled into the binary, so all three must be
        passed, or the prefix's QEMU would load the machine's (older) firmware and modules."""
        p = Path(prefix)
        return cls(binary=str(p / 'usr/bin/qemu-system-x86_64'),
                   firmware_dirs=(str(p / 'usr/share/qemu'), str(p / 'usr/share/seabios')),
                   module_dir=str(p / MODULE_SUBDIR))

    def exists(self) -> bool:
        return os.access(self.binary, os.X_OK)

    def argv(self) -> list:
        """The command line's start: the binary and its firmware directories."""
        argv = [self.binary]
        for d in self.firmware_dirs:
            argv += ['-L', d]
        return argv

    def environ(self, base=None):
        """The environment QEMU runs in (None: inherit ours unchanged)."""
        if not self.module_dir:
            return base
        env = dict(os.environ if base is None else base)
        env['QEMU_MODULE_DIR'] = self.module_dir
        return env

    def version(self) -> tuple:
        """(major, minor, micro) from `qemu-system-x86_64 -version`."""
        try:
            proc = subprocess.run([self.binary, '-version'], capture_output=True, text=True,
                                  env=self.environ(), timeout=30, check=False)
        except OSError as exc:
            raise QemuUnavailable(f'{self.binary} does not run: {exc}') from None
        m = re.search(r'version (\d+)\.(\d+)\.(\d+)', proc.stdout)
        if proc.returncode != 0 or not m:
            raise QemuUnavailable(f'{self.binary} -version failed (exit {proc.returncode}): '
                                  f'{(proc.stdout + proc.stderr).strip()[:300]}')
        return tuple(int(g) for g in m.groups())


def fetch_qemu10(cache, script=FETCH_QEMU10, timeout: float = 600) -> Qemu:
    """QEMU 10.0 from the cache, downloaded and extracted once by the fetch script (which
    flocks the cache itself; its messages are passed on to our stderr)."""
    try:
        proc = subprocess.run([str(script), str(cache)], capture_output=True, text=True,
                              check=False, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise QemuUnavailable(f'{script} {cache} took over {timeout:g} s') from None
    sys.stderr.write(proc.stderr)
    lines = proc.stdout.strip().splitlines()
    if proc.returncode != 0 or not lines:
        errors = [line for line in proc.stderr.splitlines() if ': error: ' in line]
        raise QemuUnavailable(f'{script} {cache} failed (exit {proc.returncode}): '
                              f'{errors[-1] if errors else "see its messages above"}')
    return Qemu.at_prefix(lines[-1])
