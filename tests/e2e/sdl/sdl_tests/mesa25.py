# SPDX-License-Identifier: MIT
"""sdl-mesa25: the SDL output on Mesa 25.0 (bookworm-backports, an extracted prefix selected
through the environment) under Xvfb.

Measured: Mesa 25's X11 EGL offers swap with damage, and no dma-buf import (Xvfb has no DRI3).
The timing JSON's output_counters must say exactly that, so a change of the path choice fails
here instead of passing silently. Every swap names its damage (no full swap), a steady frame's
damaged swap covers only the changed part, the screen equals the headless frames, and all nine
formats equal the headless frame on screen and by glReadPixels (upload path)."""

import os

from udmaview_test import mesa, timing
from udmaview_test.tap import Failed, check, log
from udmaview_test.xvfb import Xvfb

from . import common
from .common import timing_run
from .damage import check_damage_step
from .formats import check_formats

# What Mesa 25.0 under Xvfb offers (measured; see the module docstring).
EXPECTED_CHOICE = {"egl_swap_with_damage": 1, "egl_dma_buf_import": 0}
COUNTERS = ("egl_swap_with_damage", "egl_dma_buf_import", "swaps_with_damage", "swaps_full",
            "swap_damage_pixels")


def output_counters(data, name):
    counters = data["summary"].get("output_counters")
    if counters is None:
        raise Failed(f"{name}: the timing summary has no output_counters (the SDL output "
                     "reports its EGL paths there)")
    missing = [k for k in COUNTERS if not isinstance(counters.get(k), int)]
    if missing:
        raise Failed(f"{name}: output_counters lacks {', '.join(missing)} (got {counters})")
    return counters


def check_choice(counters, name):
    got = {k: counters[k] for k in EXPECTED_CHOICE}
    check(got == EXPECTED_CHOICE, f"{name}: EGL path choice {got} is the measured one "
          f"{EXPECTED_CHOICE} (swap with damage, no dma-buf import under Xvfb)")


def check_damage_swaps(x):
    w, h = 640, 480
    name = "mesa25-rects"
    data, _ = timing_run(x, name, ["--size", f"{w}x{h}", "--pattern", "rects", "--frames", "90",
                                   "--fps", "30"])
    c = output_counters(data, name)
    check_choice(c, name)
    shown = [f for f in data["frames"] if not f["dropped"]]
    paths = {f["path"] for f in shown}
    check(paths == {"upload"}, f"{name}: every presented frame took the upload path, {paths}")
    check(c["swaps_full"] == 0 and c["swaps_with_damage"] >= len(shown),
          f"{name}: every swap named its damage ({c['swaps_with_damage']} damaged swaps, "
          f"{c['swaps_full']} full, {len(shown)} frames presented)")
    # The first swaps show the whole window (start, first frame); after them each swap names
    # only what the demo changed, so the mean is far below a whole window.
    mean = c["swap_damage_pixels"] / max(1, c["swaps_with_damage"])
    log(f"measured {name}: {c['swaps_with_damage']} damaged swaps, mean {mean:.0f} window "
        f"pixels each (window {w * h})")
    check(mean < 0.3 * w * h, f"{name}: a damaged swap names {mean:.0f} pixels on average, "
          f"well under a third of the {w * h}-pixel window")


def run():
    prefix = mesa.fetch(common.CACHE_DIR)
    log(f"Mesa {mesa.version(prefix)} from {prefix}")
    with Xvfb() as x:
        x.env.update(mesa.env(prefix))
        check_damage_swaps(x)
        check_damage_step(x)
        table = []

        def extra_for(fmt):
            return ["--timing", os.path.join(common.OUTDIR, f"format-{fmt}.json")]

        def on_format(fmt):
            name = f"mesa25-format-{fmt}"
            data = timing.load(os.path.join(common.OUTDIR, f"format-{fmt}.json"))
            c = output_counters(data, name)
            check_choice(c, name)
            paths = sorted({f["path"] for f in data["frames"] if not f["dropped"]})
            check(paths == ["upload"], f"{name}: upload path ({paths})")
            table.append(f"{fmt}: path {'/'.join(paths)}, damaged swaps {c['swaps_with_damage']},"
                         f" full swaps {c['swaps_full']}")

        check_formats(x, extra_for, on_format)
        for row in table:
            log("mesa25 " + row)
