# SPDX-License-Identifier: MIT
"""A private X server for a test: Xvfb picks a free display number itself (-displayfd)."""

import os
import select
import subprocess
import time

from . import procs
from .tap import Failed


class Xvfb:
    """`with Xvfb() as x:` x.display (':N'), x.env (os.environ with DISPLAY, without Wayland
    and SDL driver overrides). Killed by PID when the block ends."""

    def __init__(self, size: str = '1280x1024x24', timeout: float = 15):
        self.size = size
        self.timeout = timeout
        self.proc = None
        self.display = None
        self.env = None

    def __enter__(self):
        r, w = os.pipe()
        try:
            self.proc = procs.start('xvfb', ['Xvfb', '-displayfd', str(w), '-screen', '0',
                                             self.size, '-nolisten', 'tcp', '-noreset'],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                    pass_fds=(w,))
        finally:
            os.close(w)
        try:
            number = self._read_number(r)
        finally:
            os.close(r)
        if not number.isdigit():
            self.proc.kill()
            raise Failed(f'Xvfb (pid {self.proc.pid}) printed no display number within '
                         f'{self.timeout:g} s (is another X server misbehaving? run Xvfb '
                         '-displayfd 1 by hand)')
        self.display = ':' + number
        self.env = dict(os.environ, DISPLAY=self.display)
        for name in ('WAYLAND_DISPLAY', 'SDL_VIDEODRIVER'):
            self.env.pop(name, None)
        procs.log(f'Xvfb pid {self.proc.pid} on {self.display}')
        return self

    def _read_number(self, fd) -> str:
        data = b''
        deadline = time.monotonic() + self.timeout
        while not data.endswith(b'\n'):
            left = deadline - time.monotonic()
            if left <= 0 or not self.proc.running():
                break
            ready, _, _ = select.select([fd], [], [], min(left, 0.2))
            if ready:
                chunk = os.read(fd, 16)
                if not chunk:
                    break
                data += chunk
        return data.decode(errors='replace').strip()

    def __exit__(self, *exc):
        self.proc.kill()
        return False
