# SPDX-License-Identifier: MIT
"""soak (bench/soak, not a test): guest 2 in its "small" mode (a 64x64 rectangle changes 60
times a second) on std VGA, shown by udmaview over the bus for UDMAVIEW_SOAK_MINUTES on the
output UDMAVIEW_SOAK_OUTPUT (headless, or sdl in a private Xvfb); the viewer's resources are
sampled every UDMAVIEW_SOAK_EVERY seconds and the table printed."""

import os
from contextlib import ExitStack

from udmaview_test import soak
from udmaview_test.xvfb import Xvfb

from . import linux_guest


def run(env):
    minutes = float(os.environ.get('UDMAVIEW_SOAK_MINUTES', '10'))
    every = float(os.environ.get('UDMAVIEW_SOAK_EVERY', '5'))
    output = os.environ.get('UDMAVIEW_SOAK_OUTPUT', 'headless')
    env.start_bus()
    linux_guest.start(env, mode='small')
    with ExitStack() as stack:
        environ = stack.enter_context(Xvfb()).env if output == 'sdl' else None
        viewer = env.start('udmaview', [env.args.udmaview, '--source', env.source(False),
                                        '--reconnect', '--output', output], env=environ)
        points = soak.watch(viewer, minutes, every, f'udmaview --output {output}')
        soak.report(f'QEMU {".".join(map(str, env.qemu_version))} guest (64x64 at 60 Hz) -> '
                    f'--output {output}', minutes, every, points)
        env.end_viewer(viewer)
