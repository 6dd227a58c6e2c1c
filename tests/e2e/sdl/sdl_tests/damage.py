# SPDX-License-Identifier: MIT
"""sdl-damage: the upload path copies exactly the damage (timing JSON), whole frames only at
buffer flips, and a damage-only update changes exactly the pixels the demo changed."""

import os

from udmaview_test.tap import Failed, check, log
from udmaview_test.xvfb import Xvfb

from . import common
from .common import (FORMATS, changed_pixels, compare, expected_png, show_and_shoot,
                     timing_run, upload_expected)


def run():
    with Xvfb() as x:
        w, h = 640, 480
        results = {}
        for pattern, fmt in (("rects", "XRGB8888"), ("rects", "RGB565"), ("flip", "XRGB8888")):
            bpp = FORMATS[fmt][0]
            name = f"damage-{pattern}-{fmt}"
            d, err = timing_run(x, name, ["--size", f"{w}x{h}", "--format", fmt, "--pattern",
                                          pattern, "--frames", "90", "--fps", "30"])
            frames = d["frames"]
            shown = [f for f in frames if not f["dropped"]]
            paths = {f["path"] for f in shown}
            if upload_expected(err):
                check(paths == {"upload"}, f"{name}: every presented frame took the upload path "
                      f"(no dma-buf import here), paths {sorted(paths)}")
            else:
                check(paths == {"dma-buf import"}, f"{name}: dma-buf import path, {paths}")
                continue
            exact, exact_bytes = 0, []
            for prev, f in zip(frames, frames[1:]):
                if f["dropped"]:
                    continue
                want = f["damage_pixels"] * bpp
                if not prev["dropped"]:
                    exact += 1
                    exact_bytes.append(f["bytes_copied"])
                    if f["bytes_copied"] != want:
                        raise Failed(f"{name}: frame {f['seq']} copied {f['bytes_copied']} bytes, "
                                   f"damage {f['damage_pixels']} px x {bpp} = {want}")
                elif not (want <= f["bytes_copied"] <= w * h * bpp):
                    raise Failed(f"{name}: frame {f['seq']} (after a dropped frame) copied "
                               f"{f['bytes_copied']}, outside [{want}, {w * h * bpp}]")
            check(shown[0]["bytes_copied"] == w * h * bpp,
                  f"{name}: the first presented frame uploads the whole frame ({w * h * bpp} "
                  "bytes)")
            check(exact >= 20, f"{name}: {exact} frames copied exactly damage x {bpp} bytes")
            # Per source frame (frames whose predecessor was presented: no merged damage), so
            # the number does not depend on how loaded the machine was.
            results[name] = sum(exact_bytes) / len(exact_bytes)
            later = [f["bytes_copied"] for f in shown[1:]]
            damage_mean = sum(f["damage_pixels"] * bpp for f in frames[1:]) / (len(frames) - 1)
            log(f"measured {name}: {results[name]:.0f} bytes copied per frame on the "
                f"{len(exact_bytes)} frames without merged damage; damage x bpp of frames 2-"
                f"{len(frames)}: mean {damage_mean:.0f}; {sum(later) / len(later):.0f} per "
                f"presented frame incl. merged damage; full frame {w * h * bpp}; "
                f"{len(shown)} of {len(frames)} frames presented")
            if pattern == "flip":
                # A presented frame uploads the whole frame exactly when a flip (frames 1, 31,
                # 61) happened since the previous presented frame (dropped frames merge into
                # the next), and nothing otherwise.
                prev, full = 0, []
                for f in shown:
                    flipped = any((n - 1) % 30 == 0 for n in range(prev + 1, f["seq"] + 1))
                    want = w * h * bpp if flipped else 0
                    if f["bytes_copied"] != want:
                        raise Failed(f"{name}: frame {f['seq']} copied {f['bytes_copied']} bytes, "
                                   f"expected {want} (previous presented frame {prev})")
                    if flipped:
                        full.append(f["seq"])
                    prev = f["seq"]
                check(len(full) == 3, f"{name}: whole-frame uploads only at the three flips "
                      f"(presented frames {full}), nothing copied between flips")
        if "damage-rects-XRGB8888" in results:
            check(results["damage-rects-XRGB8888"] < 0.3 * w * h * 4,
                  "rects demo copies well under a third of the frame per frame")

        check_damage_step(x)


def check_damage_step(x):
    """A damage-only update changes only the window area the picture changed in: the window
    at frame 40 and 41 equals the headless frames exactly, so the pixels that changed on
    screen are exactly the ones the demo changed."""
    shots = []
    for n in (40, 41):
        demo = ["--size", "320x240", "--pattern", "rects", "--frames", str(n), "--fps", "60"]
        shot, _, _ = show_and_shoot(x, demo, f"damage-step-{n}")
        ref = os.path.join(common.OUTDIR, f"damage-step-{n}-expected.png")
        expected_png(demo, ref)
        bad, worst = compare(shot, ref, 0)
        check(bad == 0, f"frame {n} on screen equals the headless frame (max diff {worst})")
        shots.append((shot, ref))
    on_screen = changed_pixels(shots[0][0], shots[1][0])
    in_demo = changed_pixels(shots[0][1], shots[1][1])
    check(on_screen == in_demo and 0 < on_screen < 320 * 240 // 4,
          f"frame 40 -> 41 changed {on_screen} window pixels, the demo changed {in_demo}")
