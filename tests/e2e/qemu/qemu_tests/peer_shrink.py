# SPDX-License-Identifier: MIT
"""fake-peer-shrink, fake-peer-shrink-sdl: a peer truncates the memfd it handed over with
ScanoutMap (QEMU >= 9.2 shares memfds that carry F_SEAL_SEAL and no F_SEAL_SHRINK). The
viewer's outputs read that memory; the SIGBUS guard turns it into zero pages and the QEMU
source ends: exit status 1 (a runtime error), never death by SIGBUS, and the timing report's
summary.source_counters.shrunk_files is 1. Headless reads the pixels only for its PNG dump
when the run ends (after SIGTERM); the SDL window reads them at the next UpdateMap, so the
viewer ends on its own."""

import shutil
import signal
import sys
from contextlib import ExitStack

from udmaview_test import procs, timing
from udmaview_test.tap import Skipped, check, log
from udmaview_test.xvfb import Xvfb


def run_with(env, output):
    with ExitStack() as stack:
        x_env = None
        if output == 'sdl':
            if not shutil.which('Xvfb'):
                raise Skipped('Xvfb missing')
            x_env = stack.enter_context(Xvfb()).env
        env.start_bus()
        timing_path = f'{env.tmp}/udmaview-timing.json'
        args = [env.args.udmaview, '--source', f'qemu:{env.bus}', '--output', output,
                '--timing', timing_path]
        if output == 'headless':
            args += ['--dump-png', f'{env.tmp}/udmaview.png']
        viewer = env.start('udmaview', args, env=x_env)
        peer = env.start('fake-peer', [sys.executable, env.args.fake_peer, env.bus, 'shrink'])
        procs.wait_until("the fake peer's verdict",
                         lambda: 'verdict' in env.out('fake-peer') or not peer.running(), 90)
        log('fake peer:\n' + env.out('fake-peer') + env.err('fake-peer')[-2000:])
        check('verdict ok' in env.out('fake-peer'), 'the peer shared and shrank its memfd')
        if output == 'headless':
            check(viewer.running(), 'headless udmaview runs on (it has not read the pixels)')
            viewer.send_signal(signal.SIGTERM)
        status = viewer.wait(30)
        log('udmaview stderr (tail):\n' + env.err('udmaview')[-2000:])
        check(status != -signal.SIGBUS, f'udmaview did not die of SIGBUS (status {status})')
        check(status == 1, f'exit status {status} is 1 (the source ended with an error)')
        counters = timing.load(timing_path)['summary'].get('source_counters', {})
        check(counters.get('shrunk_files') == 1, f'shrunk_files is 1 ({counters})')
        check(counters.get('scanout_map') == 1, f'one ScanoutMap accepted ({counters})')


def headless(env):
    run_with(env, 'headless')


def sdl(env):
    run_with(env, 'sdl')
