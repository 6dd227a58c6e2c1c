# SPDX-License-Identifier: MIT
"""fake-peer: a hostile stand-in for QEMU (fake_peer.py) sends every malformed message; each
is rejected, udmaview keeps running, and its final picture is the peer's valid ScanoutMap memfd
(QEMU 9.2's shared-memory scanout), shown without a copy."""

import json
import sys
import time

from udmaview_test import procs, timing
from udmaview_test.images import load, pixel
from udmaview_test.tap import Failed, log


def run(env):
    env.start_bus()
    timing_path = f'{env.tmp}/udmaview-timing.json'
    viewer = env.start_viewer('udmaview', False, '--timing', timing_path)
    peer = env.start('fake-peer', [sys.executable, env.args.fake_peer, env.bus])
    # The peer stays on the bus after its last message (until killed), so the viewer has
    # no reason to end: it must still be running.
    procs.wait_until("the fake peer's verdict",
                     lambda: 'verdict' in env.out('fake-peer') or not peer.running(), 90)
    out = env.out('fake-peer')
    log('fake peer:\n' + out + env.err('fake-peer')[-3000:])
    if 'verdict ok' not in out:
        raise Failed("the fake peer's expectations failed")
    time.sleep(0.5)
    if not viewer.running():
        raise Failed(f"udmaview died: {viewer.returncode}: {env.err('udmaview')[-3000:]}")
    env.end_viewer(viewer)
    counters = timing.load(timing_path)['summary'].get('source_counters')
    if counters is None:
        raise Failed('the timing report has no summary.source_counters for the QEMU source')
    if counters.get('rejected', 0) < 1:
        raise Failed(f'udmaview counted no rejected message (source_counters {counters})')
    log(f"udmaview rejected {counters['rejected']} messages and kept running")
    # One valid ScanoutMap, two accepted UpdateMaps (one clipped); the rest were refused.
    if counters.get('scanout_map') != 1 or counters.get('update_map') != 2:
        raise Failed(f'expected scanout_map 1 and update_map 2 in source_counters {counters}')
    # QEMU's memfd carries F_SEAL_SEAL and no F_SEAL_SHRINK: udmabuf cannot take it, and
    # udmaview says so once.
    if env.err('udmaview').count('ScanoutMap surfaces get no dma-buf') != 1:
        raise Failed('udmaview did not say exactly once why a ScanoutMap memfd gets no '
                     f"dma-buf: {env.err('udmaview')[-3000:]}")
    # The picture after the hostile messages: the peer's valid ScanoutMap memfd as announced.
    img = load(f'{env.tmp}/udmaview.png')
    expect = json.loads([line for line in out.splitlines() if line.startswith('{')][-1])
    if img.size != (expect['width'], expect['height']):
        raise Failed(f'final picture {img.size[0]}x{img.size[1]}, expected {expect}')
    for x, y, colour in expect['pixels']:
        got = pixel(img, x, y)
        if got != colour:
            raise Failed(f'pixel {x},{y} is {got}, expected {colour}')
    log("final picture matches the peer's memfd after the valid ScanoutMap + UpdateMap")
