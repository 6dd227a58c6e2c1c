# SPDX-License-Identifier: MIT
"""seabios-bus, seabios-p2p: SeaBIOS's text screen shown by udmaview (bus or peer-to-peer)
equals QEMU's screendump; on the bus, qemu-driver's frames announce exactly what changed."""

import time

from udmaview_test.tap import log

from .damage import check_damage
from .env import compare_to_screendump


def run(env, p2p):
    if not p2p:
        env.start_bus()
    env.start_qemu(p2p=p2p)
    viewer = env.start_viewer('udmaview', p2p)
    # QEMU 7.2 serves one peer-to-peer client at a time (a new add_client replaces the
    # previous connection), so the damage-checking driver runs on the bus only.
    driver = None if p2p else env.start_driver('driver', p2p)
    env.wait_text('No bootable device')
    time.sleep(2)
    ppm = env.end_viewer_on_screendump(viewer)
    if driver:
        env.end_driver(driver)
        compare_to_screendump(f'{env.tmp}/driver.png', ppm)
        check_damage(env, 'driver')
    stats = [line for line in env.err('udmaview').splitlines() if 'bytes (' in line]
    log('udmaview: ' + (stats[0] if stats else 'no stats line'))


def bus(env):
    run(env, False)


def p2p(env):
    run(env, True)
