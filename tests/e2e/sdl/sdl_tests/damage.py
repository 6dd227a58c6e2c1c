# SPDX-License-Identifier: MIT
"""sdl-damage: the gl path's upload (--sdl-path gl) copies exactly the damage (timing JSON),
whole frames only at buffer flips, and a damage-only update changes exactly the pixels the
demo changed. With no --sdl-path on Xvfb's llvmpipe, auto picks the software view and says so
(one line, the report's path and output_counters); it reads exactly the damage too, and after
the window grows under --scale integer it pushes exactly the damage scaled (3x: 9 window
pixels per source pixel), maps the pointer back through that scale, shows the
nearest-neighbour picture and dumps it."""

import os
import re
import time

from udmaview_test import images, timing
from udmaview_test.tap import Failed, check, log
from udmaview_test.xvfb import Xvfb

from . import common
from .common import (FORMATS, Viewer, changed_pixels, compare, expected_png, find_window,
                     run_cmd, screenshot, show_and_shoot, timing_run, upload_expected)


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
        check_software_scaled(x)


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


def check_software_scaled(x):
    """160x120 rects with no --sdl-path (auto: the software view under llvmpipe); once the first frame is up the window is resized to
    500x400, i.e. 3x at (10, 20) under --scale integer. Per frame the source bytes read are the
    damage x 4; the last present pushed exactly the last frame's damage x 9 window pixels; the
    pointer maps to source pixels; the window and the dump equal the headless frame scaled 3x
    by nearest neighbour."""
    w, h, k, win = 160, 120, 3, (500, 400)
    origin = ((win[0] - k * w) // 2, (win[1] - k * h) // 2)
    demo = ["--size", f"{w}x{h}", "--pattern", "rects", "--frames", "50", "--fps", "25"]
    name = "software-scaled"
    t, dump, shot = (os.path.join(common.OUTDIR, name + ext)
                     for ext in (".json", "-dump.png", "-screen.png"))
    v = Viewer(["--source", "demo", "--output", "sdl", "--scale", "integer", "--filter",
                "nearest", "--verbose", "--timing", t, "--dump-png", dump] + demo,
               dict(x.env, UDMAVIEW_SDL_HOLD_MS="30000"), name)
    xdo = lambda *a: run_cmd(["xdotool"] + list(a), x.env, 10)
    try:
        v.wait_for(r"frame 1 presented")
        geometry = find_window(x.env)
        xdo("windowsize", geometry[0], str(win[0]), str(win[1]))
        deadline = time.monotonic() + 10
        while find_window(x.env)[3:] != win and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.2)
        # The pointer maps back through the 3x placement: source pixel (50, 40) covers window
        # pixels 160..162 x 140..142.
        xdo("mousemove", "--window", geometry[0], str(origin[0] + k * 50 + 1),
            str(origin[1] + k * 40 + 1))
        v.wait_for(r"^demo: input move 50 40$", 10)
        v.wait_for(r"^sdl: holding the last frame")
        geometry = find_window(x.env)
        title = xdo("getwindowname", geometry[0]).stdout.strip()
        screenshot(x.env, geometry, shot)
    finally:
        rc = v.stop()
    chose = [l for l in v.stderr().splitlines() if l.startswith("sdl: --sdl-path auto")]
    check(len(chose) == 1 and "chose software: the GL renderer is llvmpipe" in chose[0],
          f"{name}: one line says auto chose the software view because of llvmpipe ({chose})")
    check(rc == 0, f"{name}: udmaview exited 0 after SIGTERM during the hold (got {rc})")
    check(geometry[3:] == win, f"{name}: the window was resized to {win} ({geometry[3:]})")
    check(re.fullmatch(r"udmaview: demo 160x120 XRGB8888 \| [0-9.]+ fps \| software", title)
          is not None, f"{name}: the title names the software path: '{title}'")

    report = timing.load(t)
    frames, counters = report["frames"], report["summary"]["output_counters"]
    paths = {f["path"] for f in frames if not f["dropped"]}
    check(paths == {"software"}, f"{name}: every presented frame's path is software ({paths})")
    check(frames[0]["bytes_copied"] == w * h * 4, f"{name}: the first frame reads the picture")
    wrong = [(f["seq"], f["bytes_copied"], f["damage_pixels"])
             for p, f in zip(frames, frames[1:])
             if not (p["dropped"] or f["dropped"])
             and f["bytes_copied"] != f["damage_pixels"] * 4]
    check(not wrong, f"{name}: every later frame reads damage x 4 bytes (wrong: {wrong})")
    last, before = frames[-1], frames[-2]
    if last["dropped"] or before["dropped"]:
        raise Failed(f"{name}: frame 49 or 50 was dropped at 25 fps; the last present's damage "
                     "is then a union this test cannot know")
    want = last["damage_pixels"] * k * k
    check(counters["software_last_pixels"] == want and want < win[0] * win[1] // 4,
          f"{name}: the last present pushed {counters['software_last_pixels']} window pixels, "
          f"frame 50's damage {last['damage_pixels']} x {k * k} = {want}")
    check(counters["sdl_path_auto"] == 1 and counters["software_path"] == 1 and
          "gl_path" not in counters and counters["software_full_redraws"] >= 2 and
          counters["software_updates"] >= len(frames), f"{name}: counters {counters}")

    ref = os.path.join(common.OUTDIR, name + "-expected.png")
    expected_png(demo, ref)
    Image, _ = images._pillow()
    picture = images.load(ref)
    scaled = Image.new("RGB", win, (0, 0, 0))
    scaled.paste(picture.resize((k * w, k * h), Image.NEAREST), origin)
    for what, path in (("screenshot", shot), ("--dump-png", dump)):
        bad, worst = compare(path, scaled, 0)
        check(bad == 0, f"{name}: the {what} equals frame 50 scaled {k}x by nearest neighbour "
              f"at {origin}, black around ({bad} pixels differ, max {worst})")
