# SPDX-License-Identifier: MIT
"""qemu-killed: QEMU dies (SIGKILL) while udmaview shows it; udmaview ends with exit 0,
says so, and leaves the PNG of the last picture (bus and peer-to-peer)."""

import os
import signal
import time

from udmaview_test import procs
from udmaview_test.tap import Failed, log


def run(env):
    for p2p, name in env.transports():
        q = env.start_qemu(p2p=p2p)
        viewer = env.start_viewer(name, p2p)
        env.wait_text('No bootable device')
        procs.wait_until(f'{name} to attach', lambda: 'attached' in env.err(name), 20)
        time.sleep(1)
        t0 = time.monotonic()
        q.kill(signal.SIGKILL)
        rc = viewer.wait(15)
        err = env.err(name)
        log(f'{name} ended {time.monotonic() - t0:.2f} s after QEMU was killed, exit {rc}: '
            f"{[line for line in err.splitlines() if 'went away' in line]}")
        if rc != 0 or 'QEMU went away' not in err:
            raise Failed(f'{name}: exit {rc}, stderr: {err[-2000:]}')
        if not os.path.exists(f'{env.tmp}/{name}.png'):
            raise Failed(f'{name}: no PNG of the last picture')
