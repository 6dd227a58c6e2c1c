# SPDX-License-Identifier: MIT
"""linux-fb16: guest 2 on std VGA at 16 bpp (vesafb, VESA mode 0x317, RGB565). QEMU cannot
show 16-bpp VRAM directly to a -display dbus listener: it converts each changed line into a
32-bpp surface it allocates itself. udmaview's picture equals QEMU's screendump, for the
pattern and after a small change. Which path that surface takes depends on QEMU: before 9.2
its pixels cross D-Bus (Scanout/Update); with --expect-map (QEMU >= 9.2, a memfd surface
offered through Listener.Unix.Map) udmaview must have mapped it and copied nothing."""

import re
import time

from udmaview_test import procs, timing
from udmaview_test.images import load, pixel
from udmaview_test.tap import Failed, log

from . import linux_guest
from .linux_fb import check_pattern
from .linux_virtio_gpu import check_map_path

RECT_AT = (100, 96)  # the top-left pixel of the guest's rectangle after 'r' (fbguest.c)


def drawn565(rgb):
    """What the screen shows of a 24-bit colour the guest wrote as RGB565: QEMU's std VGA
    line converter puts the 5/6/5 bits at the top of each byte and leaves the low bits 0
    (no bit replication), and udmaview shows QEMU's converted surface as it is."""
    r, g, b = rgb
    return [r & 0xf8, g & 0xfc, b & 0xf8]


def run(env):
    env.start_bus()
    linux_guest.start(env, vesa_mode=linux_guest.VESA_16BPP)
    timing_path = f'{env.tmp}/udmaview-timing.json'
    viewer = env.start_viewer('udmaview', False, '--timing', timing_path)
    serial = lambda: linux_guest.serial(env)  # noqa: E731
    procs.wait_until("the guest's @@READY or @@ERROR",
                     lambda: '@@READY' in serial() or '@@ERROR' in serial(), 120, 0.5)
    fbline = re.search(r'@@FB (\d+) (\d+) (\d+) (\d+)@@', serial())
    if not fbline or fbline.group(4) != '16' or '@@ERROR' in serial():
        seen = fbline.group(0) if fbline else 'no @@FB line'
        raise Failed(f"the guest's framebuffer is not 16 bpp ({seen}; "
                     f"{re.findall('@@ERROR[^@]*@@', serial())}): did the kernel take "
                     f'vga={linux_guest.VESA_16BPP:#x}? see {env.tmp}/serial.log')
    log(f'guest framebuffer (vesafb, RGB565): {fbline.group(0)}')
    time.sleep(1.5)
    check_pattern(env, drawn565)
    env.qmp.cmd('send-key', keys=[{'type': 'qcode', 'data': 'r'}])
    procs.wait_until("the guest's @@RECT 1@@", lambda: '@@RECT 1@@' in serial(), 20)
    time.sleep(1.5)
    ppm = env.end_viewer_on_screendump(viewer, 'rect')
    check_rect_colour(ppm)
    counters = timing.source_counters(timing.load(timing_path), timing_path)
    log(f'QEMU {".".join(map(str, env.qemu_version))}: udmaview source_counters {counters}')
    if env.args.expect_map:
        check_map_path(env, counters, timing_path)
    else:
        check_copy_path(counters, timing_path)


def check_rect_colour(ppm):
    """The rectangle arrived in the colour the guest drew (fbguest.c: rect 1 is 0x5a3c91)."""
    want = drawn565([0x5a, 0x3c, 0x91])
    got = pixel(load(ppm), *RECT_AT)
    if got != want:
        raise Failed(f'screendump pixel {RECT_AT} = {got}, the guest drew {want} (rect 1)')


def check_copy_path(counters, path):
    """Without the map interface QEMU sends this surface's pixels through D-Bus: a Scanout,
    then Updates carrying the changed lines."""
    wrong = []
    if counters['scanout'] < 1:
        wrong.append('scanout is 0')
    if counters['update'] < 1:
        wrong.append("update is 0 (the guest's drawing arrived by another path)")
    if counters['bytes_copied'] == 0:
        wrong.append('bytes_copied is 0')
    if counters.get('scanout_map', 0) or counters.get('update_map', 0):
        wrong.append('the map path was taken')
    if wrong:
        raise Failed(f'{path}: not the Scanout/Update path: {"; ".join(wrong)} '
                     f'(counters {counters})')
    log(f"Scanout/Update path: {counters['scanout']} Scanout, {counters['update']} Update, "
        f"{counters['bytes_copied']} bytes copied")
