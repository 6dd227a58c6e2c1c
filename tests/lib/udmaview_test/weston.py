# SPDX-License-Identifier: MIT
"""A private Wayland compositor for a test: weston's headless backend with its pixman renderer
in a runtime dir of its own, and its screenshooter (allowed by --debug)."""

import glob
import os
import subprocess
import tempfile
import time
from pathlib import Path

from . import procs
from .tap import Failed


class Weston:
    """`with Weston(out_dir) as w:` w.env (os.environ with WAYLAND_DISPLAY and XDG_RUNTIME_DIR,
    without DISPLAY), w.screenshot(path). Killed by PID when the block ends."""

    def __init__(self, out_dir, width: int = 640, height: int = 480, timeout: float = 15):
        self.out_dir, self.width, self.height, self.timeout = Path(out_dir), width, height, \
            timeout
        self.runtime = None
        self.proc = None
        self.env = None

    def __enter__(self):
        self.runtime = tempfile.TemporaryDirectory(prefix='udmaview-weston-')
        os.chmod(self.runtime.name, 0o700)
        socket = 'wayland-udmaview'
        env = dict(os.environ, XDG_RUNTIME_DIR=self.runtime.name)
        for name in ('DISPLAY', 'WAYLAND_DISPLAY', 'SDL_VIDEODRIVER'):
            env.pop(name, None)
        self.proc = procs.start('weston', [
            'weston', '--backend=headless-backend.so', '--use-pixman', '--debug',
            f'--socket={socket}', f'--width={self.width}', f'--height={self.height}',
            '--idle-time=0'], stdout=self.out_dir / 'weston.log', stderr=subprocess.STDOUT,
            env=env)
        path = Path(self.runtime.name) / socket
        # The shell (panel, background) is a client of its own: wait until it has drawn, or
        # the first screenshot may show its empty background.
        procs.wait_until(f'weston socket {path}', path.exists, self.timeout, proc=self.proc)
        time.sleep(1.0)
        self.env = dict(env, WAYLAND_DISPLAY=socket)
        return self

    def screenshot(self, path, timeout: float = 20):
        """The output as the compositor composed it, written to path (PNG)."""
        before = set(glob.glob(str(self.out_dir / 'wayland-screenshot-*.png')))
        status = subprocess.run(['weston-screenshooter'], cwd=self.out_dir, env=self.env,
                                timeout=timeout, check=False, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, text=True)
        new = sorted(set(glob.glob(str(self.out_dir / 'wayland-screenshot-*.png'))) - before)
        if status.returncode != 0 or not new:
            raise Failed(f'weston-screenshooter failed (exit {status.returncode}): '
                         f'{status.stderr.strip()[-300:]}')
        os.replace(new[-1], path)
        return path

    def __exit__(self, *exc):
        if self.proc:
            self.proc.kill()
        if self.runtime:
            self.runtime.cleanup()
        return False
