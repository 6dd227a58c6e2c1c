# SPDX-License-Identifier: MIT
"""viewer-first: udmaview started before QEMU waits for it, then attaches and shows the
screen exactly (bus and peer-to-peer)."""

import time

from udmaview_test import procs
from udmaview_test.tap import Failed, log


def run(env):
    for p2p, name in env.transports():
        viewer = env.start_viewer(name, p2p)
        procs.wait_until(f"{name}'s waiting line", lambda: 'waiting for QEMU' in env.err(name),
                         10)
        time.sleep(2)
        if not viewer.running():
            raise Failed(f'{name} ended while waiting: {env.err(name)}')
        log(f'{name}: ' + [line for line in env.err(name).splitlines() if 'waiting' in line][0])
        q = env.start_qemu(p2p=p2p)
        env.wait_text('No bootable device')
        procs.wait_until(f'{name} to attach', lambda: 'attached' in env.err(name), 20)
        time.sleep(2)
        env.end_viewer_on_screendump(viewer, name)
        q.kill()
