# SPDX-License-Identifier: MIT
"""input-key: Esc typed through qemu-driver (Output → Presenter → QemuSource →
Keyboard.Press) opens SeaBIOS's boot menu; mouse calls are accepted."""

import time

from udmaview_test import procs
from udmaview_test.tap import Failed, log

from .damage import frames_of
from .env import BTN_LEFT, KEY_ESC, compare_to_screendump, vga_text


def run(env):
    env.start_bus()
    env.start_qemu(extra=['-boot', 'menu=on,splash-time=30000'])
    driver = env.start_driver('driver', False)
    env.wait_text('Press ESC for boot menu')
    procs.wait_until("the driver's first frame", lambda: frames_of(env.out('driver')), 20)
    if 'Select boot device' in vga_text(env.qmp):
        raise Failed('the boot menu is open before any key was sent')
    driver.write(f'key {KEY_ESC}\n')
    env.wait_text('Select boot device', 15)
    log('Esc typed through the driver (Output -> Presenter -> QemuSource -> Keyboard.Press) '
        "opened SeaBIOS's boot menu")
    # Mouse: QEMU must accept the calls (SeaBIOS has no mouse driver to observe them).
    driver.write(f'rel 5 5\nbutton {BTN_LEFT} 1\nbutton {BTN_LEFT} 0\nwheel 1\n')
    time.sleep(1)
    ppm = env.freeze_and_dump()
    time.sleep(0.5)
    env.end_driver(driver)
    compare_to_screendump(f'{env.tmp}/driver.png', ppm)
    err = env.err('driver')
    if 'failed' in err:
        raise Failed('an input call failed: ' + err)
    stats = [line for line in env.out('driver').splitlines() if line.startswith('stats')]
    log(stats[-1] if stats else 'no stats')
    if not stats or 'inputs=0 ' in stats[-1]:
        raise Failed('no input calls were sent')
