# SPDX-License-Identifier: MIT
"""linux-virtio-gpu: guest 2 on virtio-gpu-pci (no blob): its fbdev is a virtio-gpu 2D
resource, a surface QEMU allocates itself. udmaview's picture equals QEMU's screendump, for
the pattern and after a small change. With --expect-map (QEMU >= 9.2, which allocates such
surfaces from a memfd and offers them through Listener.Unix.Map), udmaview must have taken the
shared-memory path: ScanoutMap/UpdateMap counted, and no pixel bytes through D-Bus."""

import re
import time

from udmaview_test import procs, timing
from udmaview_test.tap import Failed, log

from . import linux_guest
from .linux_fb import check_pattern

MAP_QEMU = (9, 2, 0)  # the first QEMU with org.qemu.Display1.Listener.Unix.Map
MAP_KEYS = ('scanout_map', 'update_map')


def run(env):
    env.start_bus()
    linux_guest.start(env, virtio_gpu=True)
    timing_path = f'{env.tmp}/udmaview-timing.json'
    viewer = env.start_viewer('udmaview', False, '--timing', timing_path)
    serial = lambda: linux_guest.serial(env)  # noqa: E731
    procs.wait_until("the guest's @@READY", lambda: '@@READY' in serial(), 120, 0.5)
    fbline = re.search(r'@@FB (\d+) (\d+) (\d+) (\d+)@@', serial())
    log(f"guest framebuffer (virtio_gpu fbdev): {fbline.group(0) if fbline else '?'}")
    time.sleep(1.5)
    check_pattern(env)
    # A small change after the first picture: what the steady state sends (only damage).
    env.qmp.cmd('send-key', keys=[{'type': 'qcode', 'data': 'r'}])
    procs.wait_until("the guest's @@RECT 1@@", lambda: '@@RECT 1@@' in serial(), 20)
    time.sleep(1.5)
    env.end_viewer_on_screendump(viewer, 'rect')
    counters = timing.source_counters(timing.load(timing_path), timing_path)
    log(f'QEMU {".".join(map(str, env.qemu_version))}: udmaview source_counters {counters}')
    if env.args.expect_map:
        check_map_path(env, counters, timing_path)


def check_map_path(env, counters, path):
    """Every surface of this guest (QEMU's placeholder, the virtio-gpu 2D resources) is one
    QEMU allocates, so a listener with the map interface gets them all as ScanoutMap and their
    damage as UpdateMap: Scanout/Update pixel data has no reason to cross D-Bus at all."""
    if env.qemu_version < MAP_QEMU:
        raise Failed(f'--expect-map needs QEMU >= 9.2, this is '
                     f'{".".join(map(str, env.qemu_version))} ({env.qemu.binary})')
    missing = [k for k in MAP_KEYS if k not in counters]
    if missing:
        raise Failed(f'{path}: summary.source_counters has no "{missing[0]}" key: this udmaview '
                     'does not implement org.qemu.Display1.Listener.Unix.Map (ScanoutMap/'
                     'UpdateMap), so QEMU sent the pixels through Scanout/Update '
                     f'(counters {counters})')
    wrong = []
    if counters['scanout_map'] < 1:
        wrong.append('scanout_map is 0 (QEMU never offered its memfd surface)')
    if counters['update_map'] < 1:
        wrong.append('update_map is 0 (the guest\'s drawing arrived by another path)')
    if counters['update'] != 0:
        wrong.append(f"update is {counters['update']} (pixel data through D-Bus while mapped)")
    if counters['bytes_copied'] != 0:
        wrong.append(f"bytes_copied is {counters['bytes_copied']} (D-Bus pixel bytes copied)")
    if wrong:
        raise Failed(f'{path}: the shared-memory path was not the only one: '
                     f'{"; ".join(wrong)} (counters {counters})')
    log(f"shared-memory path: {counters['scanout_map']} ScanoutMap, "
        f"{counters['update_map']} UpdateMap, no Scanout/Update pixel bytes")
