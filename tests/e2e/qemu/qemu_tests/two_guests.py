# SPDX-License-Identifier: MIT
"""two-guests: one udmaview SDL window (private Xvfb) shows two SeaBIOS guests, each reached
peer-to-peer through its own QMP socket. With guest 2 focused (Ctrl+Alt+Right) an Esc opens
guest 2's boot menu and not guest 1's; guest 1 is then killed and guest 2, reset through QMP,
goes on updating its tile. Ground truth: each guest's VGA text (QMP) and udmaview's timing
JSON (per-source input_calls, frame records tagged with their source), never log text.
Both guests are the machine's QEMU with SeaBIOS only (no disk): booting takes a second."""

import os
import shutil
import signal
import subprocess
import time

from udmaview_test import procs, timing
from udmaview_test.qmp import Qmp
from udmaview_test.tap import Failed, Skipped, log
from udmaview_test.xvfb import Xvfb

from .env import vga_text


def start_guest(env, n):
    """SeaBIOS waiting 30 s in its boot prompt; (process, test QMP, viewer QMP socket)."""
    viewer_sock = f'{env.tmp}/qmp-viewer-{n}'
    argv = [*env.qemu.argv(), '-accel', 'tcg', '-m', '64', '-nodefaults', '-vga', 'std',
            '-display', 'dbus,p2p=yes', '-name', f'udmaview-e2e-{n}',
            '-boot', 'menu=on,splash-time=30000',
            '-qmp', f'unix:{env.tmp}/qmp-test-{n},server=on,wait=off',
            '-qmp', f'unix:{viewer_sock},server=on,wait=off']
    q = env.start(f'qemu-{n}', argv, env=env.qemu.environ())
    qmp = Qmp.connect(f'{env.tmp}/qmp-test-{n}', 30, alive=q.running)
    return q, qmp, viewer_sock


def run(env):
    for tool in ('Xvfb', 'xdotool'):
        if not shutil.which(tool):
            raise Skipped(f'{tool} missing')
    with Xvfb() as x:
        guests = [start_guest(env, n) for n in (1, 2)]
        qmps = [g[1] for g in guests]
        try:
            run_viewer(env, x, guests, qmps)
        finally:
            for qmp in qmps:
                qmp.close()


def run_viewer(env, x, guests, qmps):
    t = f'{env.tmp}/two-guests.json'
    viewer = env.start('udmaview', [env.args.udmaview, '--output', 'sdl', '--timing', t,
                                    '--source', f'qemu-p2p:{guests[0][2]}',
                                    '--source', f'qemu-p2p:{guests[1][2]}'], env=x.env)
    prompt = 'Press ESC for boot menu'
    for i, qmp in enumerate(qmps):
        procs.wait_until(f'guest {i + 1}: "{prompt}"', lambda: prompt in vga_text(qmp), 60, 0.3)
    procs.wait_until('both guests attached',
                     lambda: env.err('udmaview').count('attached') >= 2 or not viewer.running(),
                     30)
    if not viewer.running():
        raise Failed(f'udmaview ended: {env.err("udmaview")}')

    def xdo(*a):
        return subprocess.run(['xdotool', *a], env=x.env, capture_output=True, text=True,
                              timeout=10)

    win = procs.wait_until('the udmaview window',
                           lambda: xdo('search', '--name', '^udmaview').stdout.split(), 20)[0]
    time.sleep(0.5)
    xdo('mousemove', '--window', win, '5', '5')  # keyboard focus follows the pointer (no WM)
    xdo('key', 'ctrl+alt+Right')
    time.sleep(0.5)
    xdo('key', 'Escape')
    procs.wait_until("guest 2's boot menu", lambda: 'Select boot device' in vga_text(qmps[1]),
                     15, 0.3)
    time.sleep(1)
    if 'Select boot device' in vga_text(qmps[0]):
        raise Failed('the Esc typed with guest 2 focused opened guest 1\'s boot menu too')
    log('Esc with guest 2 focused reached guest 2 only')

    guests[0][0].kill(signal.SIGKILL)
    killed_ns = time.monotonic_ns()
    time.sleep(1)
    # guest 2 redraws from scratch: new frames for its tile (no -no-reboot: it resets)
    qmps[1].cmd('system_reset')
    procs.wait_until('guest 2 back at its prompt', lambda: prompt in vga_text(qmps[1]), 30, 0.3)
    time.sleep(1)
    if not viewer.running():
        raise Failed(f'udmaview ended with guest 1: {env.err("udmaview")[-2000:]}')
    env.end_viewer(viewer)

    report = timing.load(t)
    per = {s['source']: s for s in report['summary'].get('sources', [])}
    calls = [per.get(i, {}).get('source_counters', {}).get('key_calls', -1) for i in (0, 1)]
    log(f'key_calls per source: {calls}')
    # Guest 1 had the focus while Ctrl and Alt of Ctrl+Alt+Right went down; it gets them
    # released when it loses the focus: 4 calls. Guest 2 gets the Esc: down and up. Keys
    # only: the mousemove that gives the window the keyboard focus may also reach guest 1 as
    # a pointer motion (an input call, not a key).
    if calls[0] > 4 or calls[1] != 2:
        raise Failed(f'key_calls per source {calls}: want <= 4 (Ctrl, Alt) for guest 1, 2 '
                     '(Esc down and up) for guest 2')
    after = [f for f in report['frames'] if f['produced_ns'] > killed_ns + 500_000_000]
    shown2 = [f for f in after if f['source'] == 1 and f['presented_ns']]
    late1 = [f for f in after if f['source'] == 0]
    log(f'after guest 1 was killed: {len(shown2)} frames of guest 2 presented, '
        f'{len(late1)} of guest 1')
    if not shown2 or late1:
        raise Failed(f'after the kill: {len(shown2)} guest 2 frames presented (want > 0), '
                     f'{len(late1)} guest 1 frames (want 0)')
