# SPDX-License-Identifier: MIT
"""sdl-formats: every format the SDL output takes, on screen and by glReadPixels, equals the
headless frame on the gl path (--sdl-path gl, tolerance per FORMATS). Then the same on the
software view (--sdl-path software, --fps 0 so frames merge), tolerance 0 for every format
(pixman converts exactly, as the headless dump does)."""

import os

from udmaview_test import timing
from udmaview_test.tap import check
from udmaview_test.xvfb import Xvfb

from . import common
from .common import FORMATS, compare, expected_png, show_and_shoot

# Formats whose pixels are the 24-bit X11 window surface's (SDL_PIXELFORMAT_RGB888) as they are.
SURFACE_LAYOUT = ("XRGB8888", "ARGB8888")


def run():
    with Xvfb() as x:
        check_formats(x)
        check_formats(x, software_args, check_software, software=True)


def software_args(fmt):
    return ["--sdl-path", "software", "--fps", "0", "--timing", software_timing(fmt)]


def software_timing(fmt):
    return os.path.join(common.OUTDIR, f"software-format-{fmt}.json")


def check_software(fmt):
    report = timing.load(software_timing(fmt))
    counters = report["summary"]["output_counters"]
    paths = {f["path"] for f in report["frames"] if not f["dropped"]}
    check(paths == {"software"}, f"software {fmt}: every presented frame took the software "
          f"path ({sorted(paths)})")
    check(counters.get("software_path") == 1 and counters["software_updates"] >= 1,
          f"software {fmt}: the software view presented ({counters})")

_references = {}


def check_formats(x, extra_for=None, on_format=None, software=False):
    """Every format on x; extra_for(fmt): more udmaview arguments; on_format(fmt) after each;
    software: the software path (exact for every format, file names software-format-*)."""
    for fmt, (_, tol) in FORMATS.items():
        # 75 frames of "all": buffer 0, flip to 1 at 31, back to 0 at 61; buffer 0's texture
        # must receive everything that changed while buffer 1 was shown.
        demo = ["--size", "320x240", "--format", fmt, "--pattern", "all", "--seed", "7",
                "--frames", "75", "--fps", "60"]
        tag = "software-format-" if software else "format-"
        shot, dump, _ = show_and_shoot(x, demo, tag + fmt, extra_for(fmt) if extra_for else [])
        ref = _references.get(fmt)
        if not ref:
            ref = os.path.join(common.OUTDIR, f"format-{fmt}-expected.png")
            expected_png(demo, ref)
            _references[fmt] = ref
        tol = 0 if software else tol
        dumped = "--dump-png (window surface)" if software else "glReadPixels dump"
        for what, path in (("screenshot", shot), (dumped, dump)):
            bad, worst = compare(path, ref, tol)
            check(bad == 0, f"{tag}{fmt}: {what} equals the headless frame 75 within {tol} "
                  f"per channel (max difference seen {worst})")
        if on_format:
            on_format(fmt)
