# SPDX-License-Identifier: MIT
"""sdl-input: the real viewer's SDL window on a private Xvfb: a click and a key typed into it
reach the guest (guest 2 reports them on its serial console)."""

import re
import shutil
import subprocess
import time

from udmaview_test import procs
from udmaview_test.tap import Failed, Skipped, log
from udmaview_test.xvfb import Xvfb

from . import linux_guest


def run(env):
    for tool in ('Xvfb', 'xdotool'):
        if not shutil.which(tool):
            raise Skipped(f'{tool} missing')
    with Xvfb() as x:
        env.start_bus()
        linux_guest.start(env)
        serial = lambda: linux_guest.serial(env)  # noqa: E731
        viewer = env.start('udmaview', [env.args.udmaview, '--source', f'qemu:{env.bus}',
                                        '--output', 'sdl'], env=x.env)
        procs.wait_until("the guest's @@READY",
                         lambda: '@@READY' in serial() or not viewer.running(), 120, 0.5)
        if not viewer.running():
            err = env.err('udmaview')
            if 'not available' in err or 'not built' in err:
                raise Skipped('udmaview has no SDL output: ' + err.strip())
            raise Failed(f'udmaview ended: {err}')

        def xdo(*a):
            return subprocess.run(['xdotool', *a], env=x.env, capture_output=True, text=True,
                                  timeout=10)

        win = procs.wait_until('the udmaview window',
                               lambda: xdo('search', '--name', '^udmaview').stdout.split(),
                               20)[0]
        time.sleep(1)
        xdo('mousemove', '--window', win, '50', '50')
        xdo('click', '1')  # grabs the input and presses BTN_LEFT in the guest
        procs.wait_until("the guest's @@MOUSE 1 …@@", lambda: re.search(r'@@MOUSE 1 ', serial()),
                         20)
        xdo('key', 'r')
        procs.wait_until("the guest's @@KEY 0x72@@", lambda: '@@KEY 0x72@@' in serial(), 20)
        log('SDL window -> udmaview -> QEMU -> guest: ' +
            ' '.join(re.findall(r'@@(?:MOUSE|KEY)[^@]*@@', serial())))
        env.end_viewer(viewer)
