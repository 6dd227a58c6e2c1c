# SPDX-License-Identifier: MIT
"""sdl-hud: with --hud the overlay's corner of the window differs from the headless frame and
the rest equals it; without --hud the window equals the frame; Ctrl+Alt+H hides and shows the
overlay. The overlay's own cost is in the timing report's summary.output_counters. All that on
the gl view and on the software view (--sdl-path gl, software)."""

import itertools
import os
import time

from udmaview_test import images, timing
from udmaview_test.tap import Failed, check, log
from udmaview_test.xvfb import Xvfb

from . import common
from .common import Viewer, expected_png, find_window, run_cmd, screenshot

# Where the overlay lands in the window (render/hud_layer.cpp: 8 px from the top left,
# 320x96); the picture is 640x480, so it is not cropped.
HUD_BOX = (8, 8, 8 + 320, 8 + 96)
DEMO = ["--size", "640x480", "--pattern", "all", "--seed", "3", "--frames", "20", "--fps", "30"]


def split(path):
    """(the overlay's box, the rest with that box blacked out) of a window-sized picture."""
    img = images.load(path)
    box = img.crop(HUD_BOX)
    rest = img.copy()
    rest.paste((0, 0, 0), HUD_BOX)
    return box, rest


SHOTS = itertools.count(1)
PATH = ["gl"]  # the view the current round tests


def shoot(x, name):
    path = os.path.join(common.OUTDIR, f"{name}-{next(SHOTS)}.png")
    screenshot(x.env, find_window(x.env), path)
    return split(path)


def wait_hud(x, name, ref_box, shown, timeout=10):
    """True once the corner shows the overlay (over 1000 pixels differ from the frame) or,
    for shown=False, equals the frame exactly."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        differing = images.compare(shoot(x, name)[0], ref_box).differing
        if (differing > 1000) if shown else (differing == 0):
            return True
        time.sleep(0.2)
    return False


def held_viewer(x, name, extra):
    extra = ["--sdl-path", PATH[0]] + extra
    t = os.path.join(common.OUTDIR, name + ".json")
    env = dict(x.env, UDMAVIEW_SDL_HOLD_MS="60000")
    v = Viewer(["--source", "demo", "--output", "sdl", "--vsync", "off", "--verbose",
                "--timing", t] + extra + DEMO, env, name)
    v.wait_for(r"^sdl: holding the last frame")
    return v, t


def stop(v, name):
    rc = v.stop()
    check(rc == 0, f"{name}: udmaview exited 0 after SIGTERM during the hold (got {rc})")


def run():
    for path in ("gl", "software"):
        PATH[0] = path
        log(f"--sdl-path {path}")
        run_path()


def run_path():
    ref = os.path.join(common.OUTDIR, "hud-expected.png")
    expected_png(DEMO, ref)
    ref_box, ref_rest = split(ref)
    with Xvfb() as x:
        xdo = lambda *a: run_cmd(["xdotool"] + list(a), x.env, 10)

        v, t = held_viewer(x, "plain", [])
        try:
            box, rest = shoot(x, "plain")
            check(images.compare(box, ref_box).differing == 0,
                  "without --hud the overlay's corner equals the headless frame")
            check(images.compare(rest, ref_rest).differing == 0,
                  "without --hud the rest of the window equals the headless frame")
        finally:
            stop(v, "plain")
        summary = timing.load(t)["summary"]
        hud_keys = [k for k in summary.get("output_counters", {}) if k.startswith("hud_")]
        check(not hud_keys, f"without --hud the report has no hud counters (got {hud_keys})")

        v, t = held_viewer(x, "hud", ["--hud"])
        try:
            box, rest = shoot(x, "hud")
            diff = images.compare(box, ref_box)
            check(diff.differing > 1000,
                  f"with --hud the overlay's corner differs from the frame ({diff.differing} "
                  "pixels)")
            check(images.compare(rest, ref_rest).differing == 0,
                  "with --hud the rest of the window still equals the headless frame")
            # Keys go to the window under the pointer (Xvfb has no window manager).
            xdo("mousemove", "--window", find_window(x.env)[0], "400", "300")
            xdo("key", "ctrl+alt+h")
            check(wait_hud(x, "hud-off", ref_box, False),
                  "Ctrl+Alt+H hides the overlay: the corner equals the frame again")
            xdo("key", "ctrl+alt+h")
            check(wait_hud(x, "hud-on", ref_box, True), "Ctrl+Alt+H shows it again")
        finally:
            stop(v, "hud")
        summary = timing.load(t)["summary"]
        counters = summary.get("output_counters")
        if not isinstance(counters, dict):
            raise Failed(f"with --hud the report has no summary.output_counters ({t})")
        log(f"output_counters {counters}")
        check(counters.get("hud_toggles") == 2, "the report counts the two toggles")
        check(counters.get("hud_updates", 0) >= 1
              and counters.get("hud_draws", 0) >= summary["presented"],
              "the overlay was uploaded and drawn with every frame")
        check(isinstance(counters.get("hud_draw_us"), int),
              "its own draw time is reported apart from the frame stages (hud_draw_us)")
        # A loaded machine may replace a frame before it is shown (counted as dropped).
        check(summary["presented"] + summary["dropped"] == 20 and summary["presented"] >= 10,
              f"every frame presented or counted as dropped, most presented "
              f"({summary['presented']} presented, {summary['dropped']} dropped of 20)")
