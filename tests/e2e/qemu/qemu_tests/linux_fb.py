# SPDX-License-Identifier: MIT
"""linux-fb: guest 2 draws a known pattern on /dev/fb0; a key and mouse input typed through
qemu-driver reach the guest; the guest's small change arrives as exactly its damage."""

import re
import time

from udmaview_test import procs
from udmaview_test.images import load, pixel
from udmaview_test.tap import Failed, log

from . import linux_guest
from .damage import check_outside, frames_of
from .env import BTN_LEFT, compare_to_screendump

RECT = (100, 96, 164, 128)  # x0, y0, x1, y1 of the guest's 64x32 rectangle (fbguest.c)


def run(env):
    env.start_bus()
    linux_guest.start(env)
    driver = env.start_driver('driver', False)
    viewer = env.start_viewer('udmaview', False)
    serial = lambda: linux_guest.serial(env)  # noqa: E731
    procs.wait_until("the guest's @@READY", lambda: '@@READY' in serial(), 120, 0.5)
    fbline = re.search(r'@@FB (\d+) (\d+) (\d+) (\d+)@@', serial())
    log(f"guest framebuffer: {fbline.group(0) if fbline else '?'}; "
        f"{re.search('@@READY.*@@', serial()).group(0)}")
    time.sleep(1.5)
    check_pattern(env)
    # 2. A key typed through the viewer's input path makes the guest change a small rect.
    before = len(frames_of(env.out('driver')))
    driver.write('key 19\n')  # KEY_R
    procs.wait_until("the guest's @@KEY 0x72@@ and @@RECT 1@@",
                     lambda: '@@KEY 0x72@@' in serial() and '@@RECT 1@@' in serial(), 20)
    log("KEY_R typed through the driver reached the guest's VT as 'r' (0x72)")
    # 3. The mouse: relative motion and a button reach /dev/input/mice.
    driver.write(f'rel 10 -5\nbutton {BTN_LEFT} 1\nbutton {BTN_LEFT} 0\n')
    procs.wait_until("the guest's @@MOUSE 1 …@@ (left button down)",
                     lambda: re.search(r'@@MOUSE 1 ', serial()), 20)
    log('mouse: ' + ' '.join(re.findall(r'@@MOUSE [^@]*@@', serial())))
    time.sleep(1.5)
    ppm = env.freeze_and_dump('rect')
    time.sleep(0.5)
    env.end_viewer(viewer)
    env.end_driver(driver)
    compare_to_screendump(f'{env.tmp}/udmaview.png', ppm)
    compare_to_screendump(f'{env.tmp}/driver.png', ppm)
    check_rect_damage(env, before)
    stats = [line for line in env.err('udmaview').splitlines() if 'bytes (' in line]
    log('udmaview: ' + (stats[0] if stats else 'no stats'))


def same(rgb):
    return rgb


def check_pattern(env, drawn=same):
    """1. The pattern, pixel-exact, in QEMU's own screendump. drawn: what becomes of the
    guest's 24-bit colour on the way to the screen (at 16 bpp: 5-6-5 bits)."""
    ppm = env.freeze_and_dump('pattern')
    time.sleep(0.5)
    env.qmp.cmd('cont')
    img = load(ppm)
    w, h = img.size
    if (w, h) != (1024, 768):
        raise Failed(f'the guest screen is {w}x{h}, expected the 1024x768 pattern')
    for x, y in ((0, 0), (1023, 767), (512, 384), (100, 96)):
        got, want = pixel(img, x, y), drawn([x * 255 // w, y * 255 // h, (x ^ y) & 255])
        if got != want:
            raise Failed(f'screendump pixel {x},{y} = {got}, the guest drew {want}')


def check_rect_damage(env, before):
    """4. After the key, only the rect changed, and every damage row band holds it."""
    frames = frames_of(env.out('driver'))
    after = frames[before:]
    changed = [f for f in after if f['changed'] != '0']
    check_outside(frames, 'driver')
    boxes = {f['changed_box'] for f in changed}
    damages = {f['damage'] for f in changed}
    log(f'after the key: {len(after)} frames, changed boxes {boxes}, their damage {damages}')
    # QEMU may catch the guest half-way through drawing: the rect can arrive in pieces, but
    # together they must be exactly the rect.
    union = None
    for b in boxes:
        x, y, bw, bh = map(int, b.split(','))
        if x < RECT[0] or y < RECT[1] or x + bw > RECT[2] or y + bh > RECT[3]:
            raise Failed(f'pixels outside the 64x32 rect at 100,96 changed: {b}')
        union = (x, y, x + bw, y + bh) if union is None else (
            min(union[0], x), min(union[1], y), max(union[2], x + bw), max(union[3], y + bh))
    if union != RECT:
        raise Failed(f'the changes {boxes} do not make up the 64x32 rect at 100,96')
    # Each frame's damage covers what changed in it and stays near the rect's rows (std VGA
    # reports whole rows, QEMU may round to its dirty-tracking granule: up to 32 rows more);
    # a frame caught mid-draw has a partial band.
    for f in changed:
        rects = [tuple(map(int, r.split(','))) for r in f['damage'].split(';')]
        x, y, bw, bh = map(int, f['changed_box'].split(','))
        for dx, dy, dw, dh in rects:
            if dy < RECT[1] - 32 or dy + dh > RECT[3] + 32:
                raise Failed(f"damage {dx},{dy},{dw},{dh} is far from the changed rows 96..127")
        covered = all(any(dx <= x and x + bw <= dx + dw and dy <= row < dy + dh
                          for dx, dy, dw, dh in rects) for row in range(y, y + bh))
        if not covered:
            raise Failed(f"damage {f['damage']} does not cover the change {f['changed_box']}")
        # Exactly one copy of exactly the damage: from the D-Bus message into the surface the
        # outputs use (4 bytes per pixel); a second copy or a wider one shows up here. QEMU's
        # own shared surface (ScanoutMap) is shown in place: nothing copied at all.
        area = sum(dw * dh for _, _, dw, dh in rects)
        want = 0 if f['origin'] == 'qemu_ScanoutMap' else area * 4
        if int(f['copied']) != want:
            raise Failed(f"frame {f['seq']}: the source copied {f['copied']} bytes for damage "
                         f"{f['damage']} of {f['origin']}, expected {want}")
    log('bytes copied by the frames after the key (exactly their damage × 4, or 0 from '
        'ScanoutMap): ' + ', '.join(f"{f['copied']} ({f['origin']})" for f in changed))
