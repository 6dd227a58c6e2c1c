# SPDX-License-Identifier: MIT
"""The inner guest: a QEMU 7.2 whose RAM is a memfd shared with us, its serial console on
stdio (pipes, read by a thread) and QMP on a unix socket."""

import os
import re
import subprocess
import threading
import time
from pathlib import Path

from udmaview_test import procs
from udmaview_test.cpio import CpioWriter
from udmaview_test.kernel import find_busybox
from udmaview_test.tap import Failed

QEMU = '/usr/bin/qemu-system-x86_64'
HERE = Path(__file__).resolve().parent.parent
FB_RE = (r'@@ZC-FB addr=0x([0-9a-f]+) len=(\d+) stride=(\d+) size=(\d+)x(\d+) bpp=(\d+) '
         r'id=(.*)@@')


class Guest:
    """The QEMU process and its console lines; stop() kills it by PID."""

    def __init__(self, argv, out: Path, name='qemu'):
        self.name = name
        self.lines = []
        self.cond = threading.Condition()
        self.log = open(out / f'{name}-serial.log', 'wb')
        self.err_path = out / f'{name}.err'
        self.proc = procs.start(name, argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=self.err_path)
        self.started = self.proc.started
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        buf = b''
        while True:
            chunk = self.proc.stdout.read1(65536)
            if not chunk:
                break
            self.log.write(chunk)
            self.log.flush()
            buf += chunk
            *done, buf = buf.split(b'\n')
            if done:
                with self.cond:
                    self.lines += [d.decode(errors='replace').rstrip('\r') for d in done]
                    self.cond.notify_all()
        with self.cond:
            self.cond.notify_all()

    def wait_for(self, regex, timeout, start=0):
        """(match, index after its line) of the first console line from index start matching
        regex; Failed on timeout, on a guest error line, or when QEMU exits first."""
        pattern = re.compile(regex)
        deadline = time.monotonic() + timeout
        pos = start
        with self.cond:
            while True:
                for i in range(pos, len(self.lines)):
                    if pattern.search(self.lines[i]):
                        return pattern.search(self.lines[i]), i + 1
                    if '@@ZC-ERROR' in self.lines[i]:
                        raise Failed(f'guest: {self.lines[i]}')
                pos = len(self.lines)
                left = deadline - time.monotonic()
                if not self.proc.running() and not self.reader.is_alive():
                    raise Failed(f'{self.name} exited ({self.proc.returncode}) before '
                                 f'/{regex}/; stderr: {self.stderr()[-800:]}')
                if left <= 0:
                    raise Failed(f'no /{regex}/ on the guest console after {timeout:.0f} s '
                                 f'(last lines: {self.lines[-5:]})')
                self.cond.wait(min(left, 0.5))

    def send(self, text):
        self.proc.write(text)

    def stderr(self):
        return procs.read_text(self.err_path)

    def stop(self):
        self.proc.kill(grace=3.0)
        self.reader.join(5)
        self.log.close()


def ramfb_qemu_argv(kernel: Path, initrd: Path, qmp: Path, ram_mb, append_extra=''):
    """Case (a): SeaBIOS + ramfb (vgabios-ramfb's VBE mode 0x344 = 1024x768x32 at the top
    4 MiB of low RAM), RAM = memfd shared with us."""
    argv = [QEMU, '-accel', 'tcg', '-m', f'{ram_mb}M', '-smp', '1',
            '-object', f'memory-backend-memfd,id=mem,size={ram_mb}M,share=on',
            '-machine', 'q35,memory-backend=mem', '-nodefaults', '-no-reboot',
            '-vga', 'none', '-device', 'ramfb', '-display', 'none',
            '-chardev', 'stdio,id=ser,signal=off', '-serial', 'chardev:ser',
            '-kernel', str(kernel), '-qmp', f'unix:{qmp},server=on,wait=off']
    if initrd is None:  # the bare-metal zc_pvhguest
        return argv
    vga = '' if 'zc.fb=ramfb' in append_extra else 'vga=0x344 '
    append = (f'console=ttyS0 {vga}loglevel=4 panic=-1 vt.global_cursor_default=0 '
              + append_extra).strip()
    return argv + ['-initrd', str(initrd), '-append', append]


def build_initramfs(path: Path, fbguest: Path, modules=()):
    """busybox, /init (zc-guest-init.sh), zc_fbguest and modules (loaded in order)."""
    with CpioWriter(path) as cpio:
        for d in ('bin', 'dev', 'proc', 'sys', 'modules'):
            cpio.directory(d)
        cpio.file('bin/busybox', find_busybox().read_bytes(), 0o755)
        cpio.file('init', (HERE / 'zc-guest-init.sh').read_bytes(), 0o755)
        cpio.file('zc_fbguest', fbguest.read_bytes(), 0o755)
        names = []
        for i, ko in enumerate(modules):
            names.append(f'/modules/{i:02d}-{ko.name}')
            cpio.file(names[-1][1:], ko.read_bytes())
        if names:
            cpio.file('modules.list', ('\n'.join(names) + '\n').encode())


def memfd_offset(addr, ram_bytes):
    """q35: guest-physical address → offset in the RAM memfd (low RAM is all of RAM up to
    2.75 GiB, else 2 GiB; addresses ≥ 4 GiB continue after low RAM)."""
    low = ram_bytes if ram_bytes <= 0xb0000000 else 0x80000000
    if addr < low:
        return addr
    if addr >= 1 << 32:
        return addr - (1 << 32) + low
    raise Failed(f'framebuffer address {addr:#x} is in the PCI hole, not in RAM')


def find_memfd(pid):
    for fd in sorted(os.listdir(f'/proc/{pid}/fd'), key=int):
        try:
            target = os.readlink(f'/proc/{pid}/fd/{fd}')
        except OSError:
            continue
        if target.startswith('/memfd:memory-backend-memfd'):
            return Path(f'/proc/{pid}/fd/{fd}'), target
    raise Failed(f'QEMU (pid {pid}) has no memory-backend-memfd open')

