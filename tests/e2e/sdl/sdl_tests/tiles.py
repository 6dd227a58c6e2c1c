# SPDX-License-Identifier: MIT
"""sdl-tiles: two demo sources (seeds 2 and 5, 320x240 each, --scale integer, --filter
nearest) in one window. Exact reference, tolerance 0: the grid of 2 tiles is 2 columns × 1 row
(columns = ceil(sqrt(n))); the window is 2·(320 + 2·2) × (240 + 2·2) = 648×244; tile i spans
x = [i·324, (i+1)·324); its picture sits 1:1 inside the 2-pixel frame at (i·324 + 2, 2); the
frame around the focused tile (the first at start) is amber (255, 191, 0), elsewhere black.
Each picture equals the headless dump of the same demo after 40 frames. Ctrl+Alt+Right moves
the frame to tile 2; Ctrl+Alt+L then shows source 2 alone: fitted 1:1 in the 644×240 inside,
centred at x = 2 + (644 - 320) / 2 = 164. All that on the gl view and on the software view
(--sdl-path gl, software). Then the software view with --filter linear and --hud: the window
grown to 808x304 puts each picture 1.25x into its 400x300 inside; outside the hud's corner
each tile equals its demo's frame scaled 1.25x bilinearly (computed here, within 3 per
channel: pixman's weights have 7 bits), the corner shows the overlay. The timing summary reports each source; a source that cannot start
is named (exit 1); a 17th source is refused (exit 2)."""

import os
import time

from udmaview_test import images, timing
from udmaview_test.tap import check
from udmaview_test.xvfb import Xvfb

from . import common
from .common import Viewer, compare, expected_png, find_window, run_cmd, screenshot

W, H, F = 320, 240, 2
AMBER = (255, 191, 0)
SEEDS = (2, 5)


def demo_args(seed):
    return ["--size", f"{W}x{H}", "--seed", str(seed), "--fps", "60"]


def expected_grid(refs, focus):
    Image, _ = images._pillow()
    tw, th = W + 2 * F, H + 2 * F
    img = Image.new("RGB", (2 * tw, th), (0, 0, 0))
    fx = focus * tw
    img.paste(AMBER, (fx, 0, fx + tw, th))
    img.paste((0, 0, 0), (fx + F, F, fx + tw - F, th - F))
    for i, ref in enumerate(refs):
        img.paste(images.load(ref), (i * tw + F, F))
    return img


def run():
    refs = []
    for seed in SEEDS:
        ref = os.path.join(common.OUTDIR, f"tiles-seed{seed}-expected.png")
        expected_png(demo_args(seed) + ["--frames", "40"], ref)
        refs.append(ref)
    with Xvfb() as x:
        for path in ("gl", "software"):
            check_grid(x, refs, path)
        check_software_linear_hud(x, refs)
        check_bad_input(x)


def check_software_linear_hud(x, refs):
    name = "tiles-software-linear-hud"
    shot = os.path.join(common.OUTDIR, name + ".png")
    t = os.path.join(common.OUTDIR, name + ".json")
    sw, sh = W * 5 // 4, H * 5 // 4
    win = (2 * (sw + 2 * F), sh + 2 * F)
    args = ["--output", "sdl", "--sdl-path", "software", "--scale", "fit", "--filter", "linear",
            "--hud", "--frames", "40", "--timing", t, "--verbose"]
    for seed in SEEDS:
        args += ["--source", "demo"] + demo_args(seed)
    v = Viewer(args, dict(x.env, UDMAVIEW_SDL_HOLD_MS="30000"), name)
    xdo = lambda *a: run_cmd(["xdotool"] + list(a), x.env, 10)
    try:
        v.wait_for(r"^sdl: holding the last frame")
        geometry = find_window(x.env)
        xdo("windowsize", geometry[0], str(win[0]), str(win[1]))
        deadline = time.monotonic() + 10
        while find_window(x.env)[3:] != win and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.5)
        geometry = find_window(x.env)
        screenshot(x.env, geometry, shot)
    finally:
        rc = v.stop()
    check(rc == 0, f"{name}: udmaview exited 0 after SIGTERM during the hold (got {rc})")
    check(geometry[3:] == win, f"{name}: the window was resized to {win} ({geometry[3:]})")
    Image, _ = images._pillow()
    got = images.load(shot)
    hud = (8, 8, 8 + 320, 8 + 96)
    tw = win[0] // 2
    for i, ref in enumerate(refs):
        want = images.load(ref).resize((sw, sh), Image.BILINEAR)
        tile = got.crop((i * tw + F, F, i * tw + F + sw, F + sh))
        if i == 0:  # the overlay's corner is checked apart
            want.paste((0, 0, 0), (hud[0] - F, hud[1] - F, hud[2] - F, hud[3] - F))
            corner = tile.crop((hud[0] - F, hud[1] - F, hud[2] - F, hud[3] - F))
            tile.paste((0, 0, 0), (hud[0] - F, hud[1] - F, hud[2] - F, hud[3] - F))
            differ = images.compare(corner, images.load(ref).resize(
                (sw, sh), Image.BILINEAR).crop((hud[0] - F, hud[1] - F, hud[2] - F,
                                                hud[3] - F))).differing
            check(differ > 1000, f"{name}: the hud's corner shows the overlay ({differ} pixels "
                  "differ from the picture)")
        bad, worst = compare(tile, want, 3)
        check(bad == 0, f"{name}: tile {i + 1} equals its frame 40 scaled 1.25x bilinearly "
              f"within 3 ({bad} pixels differ, max difference {worst})")
    counters = timing.load(t)["summary"]["output_counters"]
    check(counters.get("software_path") == 1 and counters.get("hud_draws", 0) >= 1,
          f"{name}: the software view drew the hud ({counters})")


def check_grid(x, refs, path):
    dump = os.path.join(common.OUTDIR, f"tiles-{path}-readpixels.png")
    t = os.path.join(common.OUTDIR, f"tiles-{path}.json")
    args = ["--output", "sdl", "--sdl-path", path, "--vsync", "off", "--scale", "integer",
            "--filter", "nearest",
            "--frames", "40", "--dump-png", dump, "--timing", t, "--verbose"]
    for seed in SEEDS:
        args += ["--source", "demo"] + demo_args(seed)
    v = Viewer(args, dict(x.env, UDMAVIEW_SDL_HOLD_MS="30000"), f"tiles-{path}")
    shots = {name: os.path.join(common.OUTDIR, f"tiles-{path}-{name}.png")
             for name in ("grid", "focus2", "alone")}
    try:
        v.wait_for(r"^sdl: holding the last frame")
        geometry = find_window(x.env)
        check(geometry[3:] == (648, 244), f"the window is 648x244 (got {geometry[3:]})")
        screenshot(x.env, geometry, shots["grid"])
        xdo = lambda *a: run_cmd(["xdotool"] + list(a), x.env, 10)
        xdo("key", "ctrl+alt+Right")
        v.wait_for(r"^sdl: source 2 focused, grid$", 10)
        time.sleep(0.3)
        screenshot(x.env, geometry, shots["focus2"])
        xdo("key", "ctrl+alt+l")
        v.wait_for(r"^sdl: source 2 focused, alone$", 10)
        time.sleep(0.3)
        screenshot(x.env, geometry, shots["alone"])
    finally:
        rc = v.stop()
    check(rc == 0, f"{path}: udmaview exited 0 after SIGTERM during the hold (got {rc})")
    for what, png in (("screenshot", shots["grid"]), ("--dump-png", dump)):
        bad, worst = compare(png, expected_grid(refs, 0), 0)
        check(bad == 0, f"{path} grid {what}: each tile equals its demo's frame 40, the first framed "
              f"({bad} pixels differ, max difference {worst})")
    bad, worst = compare(shots["focus2"], expected_grid(refs, 1), 0)
    check(bad == 0, f"{path}: Ctrl+Alt+Right frames tile 2 ({bad} pixels differ, max {worst})")
    alone = images.load(shots["alone"]).crop((164, F, 164 + W, F + H))
    bad, worst = compare(alone, refs[1], 0)
    check(bad == 0, f"{path}: Ctrl+Alt+L shows source 2 alone, 1:1 at x 164 ({bad} differ, max {worst})")
    report = timing.load(t)
    per = report["summary"].get("sources", [])
    check(len(per) == 2 and all(s["frames"] == 40 and s["presented"] >= 1 for s in per),
          f"timing: summary.sources has 40 frames of each source ({per})")
    check({f["source"] for f in report["frames"]} == {0, 1}, "every frame record names its source")


def check_bad_input(x):
    def one_line(r):
        return [l for l in r.stderr.splitlines() if l.startswith("udmaview:") and "->" not in l]

    missing = os.path.join(common.OUTDIR, "no-such-dir", "fb")
    r = run_cmd([common.UDMAVIEW, "--output", "sdl", "--frames", "5", "--source", "demo",
                 "--size", "64x48", "--source", f"region:{missing},size=64x48"], x.env, 30)
    msgs = one_line(r)
    check(r.returncode == 1 and len(msgs) == 1 and
          msgs[0].startswith(f"udmaview: --source #2 (region:{missing},size=64x48) did not start"),
          f"a source that cannot start: exit 1, one line naming it ({r.returncode}: {msgs})")
    r = run_cmd([common.UDMAVIEW, "--output", "sdl"] + ["--source", "demo"] * 17, x.env, 30)
    msgs = one_line(r)
    check(r.returncode == 2 and len(msgs) == 1 and "at most 16 tiles" in msgs[0],
          f"17 sources: exit 2, one line ({r.returncode}: {msgs})")
