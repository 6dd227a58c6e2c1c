# SPDX-License-Identifier: MIT
"""wrong-console: --console 5 on a VM with one console fails with a list of the consoles."""

from udmaview_test.tap import Failed, log


def run(env):
    env.start_bus()
    env.start_qemu()
    viewer = env.start_viewer('udmaview', False, '--console', '5')
    rc = viewer.wait(20)
    err = env.err('udmaview')
    log(f'exit {rc}: {err.strip()}')
    if rc == 0 or 'no such console' not in err or 'console 0: Graphic "VGA"' not in err:
        raise Failed(f'expected an error listing the consoles, got exit {rc}: {err}')
