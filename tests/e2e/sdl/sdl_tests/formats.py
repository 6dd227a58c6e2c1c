# SPDX-License-Identifier: MIT
"""sdl-formats: every format the SDL output takes, on screen and by glReadPixels, equals the
headless frame (tolerance per FORMATS)."""

import os

from udmaview_test.tap import check
from udmaview_test.xvfb import Xvfb

from . import common
from .common import FORMATS, compare, expected_png, show_and_shoot


def run():
    with Xvfb() as x:
        check_formats(x)


def check_formats(x, extra_for=None, on_format=None):
    """Every format on x; extra_for(fmt): more udmaview arguments; on_format(fmt) after each."""
    for fmt, (_, tol) in FORMATS.items():
        # 75 frames of "all": buffer 0, flip to 1 at 31, back to 0 at 61; buffer 0's texture
        # must receive everything that changed while buffer 1 was shown.
        demo = ["--size", "320x240", "--format", fmt, "--pattern", "all", "--seed", "7",
                "--frames", "75", "--fps", "60"]
        shot, dump, _ = show_and_shoot(x, demo, "format-" + fmt,
                                         extra_for(fmt) if extra_for else [])
        ref = os.path.join(common.OUTDIR, f"format-{fmt}-expected.png")
        expected_png(demo, ref)
        for what, path in (("screenshot", shot), ("glReadPixels dump", dump)):
            bad, worst = compare(path, ref, tol)
            check(bad == 0, f"{fmt}: {what} equals the headless frame 75 within {tol} "
                  f"per channel (max difference seen {worst})")
        if on_format:
            on_format(fmt)
