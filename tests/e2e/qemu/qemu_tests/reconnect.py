# SPDX-License-Identifier: MIT
"""reconnect: udmaview --reconnect outlives a killed QEMU, attaches to the next one and
shows its screen exactly (bus and peer-to-peer)."""

import os
import signal
import time

from udmaview_test import procs
from udmaview_test.tap import Failed, log


def run(env):
    for p2p, name in env.transports():
        q1 = env.start_qemu(p2p=p2p)
        viewer = env.start_viewer(name, p2p, '--reconnect')
        env.wait_text('No bootable device')
        procs.wait_until('the first attach', lambda: env.err(name).count('attached') >= 1, 20)
        q1.kill(signal.SIGKILL)
        procs.wait_until('the reconnect waiting line',
                         lambda: 'waiting for it to come back' in env.err(name), 10)
        time.sleep(1)
        if not viewer.running():
            raise Failed(f'{name} --reconnect ended when QEMU went away')
        if p2p:  # QEMU does not remove a stale socket file itself
            os.unlink(f'{env.tmp}/qmp-viewer')
        q2 = env.start_qemu(p2p=p2p)
        env.wait_text('No bootable device')
        procs.wait_until('the second attach', lambda: env.err(name).count('attached') >= 2, 30)
        time.sleep(2)
        env.end_viewer_on_screendump(viewer, name)
        log(f'{name}: ' + '; '.join(line for line in env.err(name).splitlines()
                                    if 'attached' in line or 'went away' in line))
        q2.kill()
