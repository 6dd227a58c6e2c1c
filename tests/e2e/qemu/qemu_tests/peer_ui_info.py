# SPDX-License-Identifier: MIT
"""fake-peer-ui-info: the real QEMU source (qemu-driver) against a scripted peer
(ui_info_peer.py) that records Console.SetUIInfo. The driver reports wanted sizes as an output
does: a drag of 20 sizes in 1 s becomes a handful of calls, the last one with the last size
and its millimetres; a size the peer follows (a Scanout of it) is counted as the guest's
size; a size it keeps is counted guest_size_ignored once after 10 s; the same size again is
not sent. Against a peer without SetUIInfo the UnknownMethod answer counts as ignored at once
and nothing more is sent."""

import json
import sys
import time
from pathlib import Path

from udmaview_test import procs
from udmaview_test.tap import Failed, log


def counters(env, name):
    lines = [line for line in env.out(name).splitlines() if line.startswith('counters ')]
    if not lines:
        raise Failed(f'{name} printed no counters line: {env.err(name)[-2000:]}')
    return {k: int(v) for k, v in (f.split('=') for f in lines[-1].split()[1:])}


def calls(env, name):
    return [json.loads(line)['set_ui_info'] for line in env.out(name).splitlines()
            if line.startswith('{"set_ui_info"')]


def start(env, tag, *peer_args):
    peer_py = str(Path(env.args.fake_peer).with_name('ui_info_peer.py'))
    peer = env.start(f'peer-{tag}', [sys.executable, peer_py, env.bus, *peer_args])
    driver = env.start_driver(f'driver-{tag}', False)
    procs.wait_until(f"peer-{tag}'s first Scanout accepted",
                     lambda: 'ok Scanout 64x48' in env.out(f'peer-{tag}') or not peer.running(),
                     30)
    if not peer.running():
        raise Failed(f'the peer ended: {env.err(f"peer-{tag}")[-2000:]}')
    time.sleep(0.5)
    return peer, driver


def run(env):
    env.start_bus()
    peer, driver = start(env, 'follow')
    # A drag: 20 sizes 50 ms apart, all below the peer's follow limit.
    for i in range(20):
        driver.write(f'size {300 + 10 * i} {200 + i} {80 + i} {60 + i}\n')
        time.sleep(0.05)
    procs.wait_until('the call with the last size of the drag',
                     lambda: [490, 219, 99, 79] in calls(env, 'peer-follow'), 10)
    time.sleep(1)
    drag_calls = calls(env, 'peer-follow')
    log(f'drag of 20 sizes in 1 s: {len(drag_calls)} SetUIInfo calls {drag_calls}')
    if not 2 <= len(drag_calls) <= 4:
        raise Failed(f'a 1 s drag of 20 sizes made {len(drag_calls)} calls (expected 2-4: every '
                     f'500 ms while it lasts, then the last size): {drag_calls}')
    driver.write('size 490 219 99 79\n')  # the same size again: nothing to send
    driver.write('size 800 600 0 0\n')  # the peer keeps its size
    procs.wait_until('the 800x600 call', lambda: [800, 600, 0, 0] in calls(env, 'peer-follow'),
                     10)
    time.sleep(11)  # udmaview waits 10 s for a picture of that size
    env.end_driver(driver)
    c = counters(env, 'driver-follow')
    log(f'follow peer: calls {calls(env, "peer-follow")}; counters {c}')
    want = {'ui_info_calls': len(drag_calls) + 1, 'ui_info_width': 800, 'ui_info_height': 600,
            'guest_width': 490, 'guest_height': 219, 'guest_size_ignored': 1}
    wrong = {k: c.get(k) for k, v in want.items() if c.get(k) != v}
    if wrong or c.get('guest_size_changes', 0) < 1:
        raise Failed(f'counters {wrong} differ from {want} (guest_size_changes '
                     f'{c.get("guest_size_changes")}; all: {c})')
    if env.err('driver-follow').count('kept its size') != 1:
        raise Failed('expected one line saying the guest kept its size: '
                     f'{env.err("driver-follow")[-2000:]}')
    peer.kill()

    peer, driver = start(env, 'nomethod', 'nomethod')
    driver.write('size 320 200 0 0\n')
    time.sleep(1.5)
    driver.write('size 330 200 0 0\n')
    time.sleep(1.5)
    env.end_driver(driver)
    c = counters(env, 'driver-nomethod')
    log(f'peer without SetUIInfo: counters {c}')
    if c.get('ui_info_calls') != 1 or c.get('guest_size_ignored') != 1:
        raise Failed('against a peer without SetUIInfo: expected 1 call, counted ignored once, '
                     f'then no more calls: {c}')
    if 'UnknownMethod' not in env.err('driver-nomethod'):
        raise Failed(f'the line does not name the D-Bus error: {env.err("driver-nomethod")}')
