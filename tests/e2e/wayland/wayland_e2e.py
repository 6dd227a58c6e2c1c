#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""--output wayland on a real compositor: weston 10's headless backend with its pixman
renderer (a private runtime dir, started and killed by the test).

The demo's memfds go to weston as wl_shm pools: weston reads the guest's pages itself, and
udmaview copies nothing. Checked from weston's screenshooter and the timing report:
- 1:1 (a full-screen window of the picture's size): the composed output equals the CPU dump
  of the same frame exactly, for ARGB8888, XBGR8888 and RGB565. (XRGB8888 is shown too, but
  weston 10's pixman renderer copies its X byte, 0 in the demo, into the screenshot as alpha,
  and the screenshooter's PNG writer then drops those pixels to black: not comparable.)
- 2x by wp_viewporter (a 320x240 picture full screen on 640x480): weston 10's pixman renderer
  filters a scaled view bilinearly (measured: within 1 of Pillow's bilinear, up to 108 from
  nearest), so it must equal the CPU dump scaled linearly within SCALED_TOLERANCE.
- every shown frame took path wl-shm, 0 bytes copied, one wl_buffer per buffer shown, each
  frame timed by wp_presentation, the whole picture damaged once and after that only the
  changed rectangles (far fewer pixels than the frames' area).
- a format weston's wl_shm lacks (RGB888): converted into udmaview's own XRGB8888 wl_shm
  buffers, only what changed (path wl-shm-convert, the bytes counted), exact as well.
- bad cases: no compositor (exit 1), two sources (exit 2), and weston killed while udmaview
  shows a guest (exit 1, no hang).
About 40 s.

usage: wayland_e2e.py UDMAVIEW OUTDIR"""
import os
import signal
import sys
import time
from pathlib import Path

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "lib"))

from udmaview_test import images, procs, tap, timing  # noqa: E402
from udmaview_test.tap import Failed, check, log  # noqa: E402
from udmaview_test.weston import Weston  # noqa: E402

W, H = 640, 480
DEMO = ["--source", "demo", "--pattern", "all", "--seed", "7", "--frames", "90", "--fps", "60"]
HOLD_MS = "30000"  # until the test has its screenshot and stops udmaview with SIGTERM
SCALED_TOLERANCE = 2


def shown_on_weston(udmaview, outdir, weston, name, args):
    """Runs udmaview full screen on weston until it holds its last frame; returns the
    screenshot, then the timing report once SIGTERM ended the run."""
    report = os.path.join(outdir, f"{name}.json")
    err = Path(outdir) / f"{name}.err"
    env = dict(weston.env, UDMAVIEW_SDL_HOLD_MS=HOLD_MS)
    with procs.Process(name, [udmaview, "--output", "wayland", "--fullscreen", "--timing",
                              report] + args, stdout=Path(outdir) / f"{name}.out",
                       stderr=err, env=env) as p:
        procs.wait_until(f"{name}: the last frame held",
                         lambda: "holding the last frame" in procs.read_text(err), 60, proc=p)
        shot = weston.screenshot(os.path.join(outdir, f"{name}-weston.png"))
        p.send_signal(signal.SIGTERM)
        status = p.wait(30)
    check(status == 0, f"{name}: SIGTERM during the hold ends udmaview with 0 (got {status}; "
          f"{procs.read_text(err)[-500:]})")
    return shot, timing.load(report)


def check_report(name, report, picture_pixels, converted=False):
    s = report["summary"]
    c = s.get("output_counters", {})
    shown = [f for f in report["frames"] if not f["dropped"]]
    buffers = {f["buffer_id"] for f in shown}
    path = "wl-shm-convert" if converted else "wl-shm"
    check({f["path"] for f in shown} == {path}, f"{name}: every shown frame went as {path} "
          f"({sorted({f['path'] for f in shown})})")
    if converted:
        # 4 bytes a pixel out; each change is drawn once into each of the two buffers, the
        # whole picture the same: at most twice the picture and what changed.
        changed = sum(f["damage_pixels"] for f in report["frames"][1:])
        check(0 < s["bytes_copied_total"] <= 4 * 2 * (picture_pixels + changed) and
              c.get("wl_converted_frames") == len(shown) and c.get("wl_buffers") == 0,
              f"{name}: only what changed was converted ({s['bytes_copied_total']} bytes; "
              f"{c.get('wl_converted_frames')} converted frames of {len(shown)})")
        check(s["imports_total"] == len(buffers), f"{name}: one mapping per buffer shown "
              f"({s['imports_total']} for {len(buffers)})")
    else:
        check(s["bytes_copied_total"] == 0, f"{name}: udmaview copied 0 bytes "
              f"({s['bytes_copied_total']})")
        check(s["imports_total"] == len(buffers) == c.get("wl_buffers"),
              f"{name}: one wl_buffer per buffer shown ({s['imports_total']} imports, "
              f"{len(buffers)} buffers, {c.get('wl_buffers')} wl_buffers)")
    # The last frame's event may come after the run ended (during the hold): counted by the
    # output, not in the report.
    presented = [f for f in shown if f.get("presented_ns")]
    check(c.get("wl_presentation") == 1 and len(presented) >= len(shown) - 1 and
          c.get("wl_presented") - len(presented) in (0, 1) and c.get("wl_frame_callbacks") == 0,
          f"{name}: the {len(shown)} shown frames timed by wp_presentation "
          f"({len(presented)} in the report; {c})")
    # What the source changed, summed over every frame (dropped ones too: their damage goes
    # with the next frame shown): the damage sent after the first picture is at most that.
    changed = sum(f["damage_pixels"] for f in report["frames"][1:])
    check(c.get("wl_full_damages") == 1 and
          c.get("wl_damage_pixels", 0) <= picture_pixels + changed,
          f"{name}: the whole picture damaged once, then only the changed rectangles "
          f"({c.get('wl_damage_pixels')} pixels sent; the picture {picture_pixels} + "
          f"changed {changed})")
    return c


def compare_rgb(name, shot, ref, tolerance):
    a = images.load(shot).convert("RGB")
    b = images.load(ref).convert("RGB")
    if b.size != a.size:
        b = images.scaled(b, a.size[0], a.size[1], "linear").convert("RGB")
    diff = images.compare(a, b, tolerance, (shot, ref))
    check(diff.differing == 0, f"{name}: weston's output equals the CPU dump within "
          f"{tolerance}: {diff.describe(shot, ref)}")


def bad_cases(udmaview, outdir, weston):
    status, _, err = procs.run("no-compositor", [udmaview, "--output", "wayland"] + DEMO, 30,
                               out_dir=outdir, env=dict(weston.env,
                                                        WAYLAND_DISPLAY="udmaview-none"))
    check(status == 1 and "cannot connect to the compositor" in err,
          f"no compositor: exit 1 with one line ({status}: {err.strip()[-300:]})")
    status, _, err = procs.run("two-sources", [udmaview, "--output", "wayland", "--source",
                                               "demo", "--source", "demo"], 30, out_dir=outdir,
                               env=weston.env)
    check(status == 2, f"two sources: bad usage, exit 2 ({status}: {err.strip()[-200:]})")


def compositor_gone(udmaview, outdir):
    with Weston(outdir, W, H) as weston:
        err = Path(outdir) / "gone.err"
        with procs.Process("gone", [udmaview, "--output", "wayland"] + DEMO[:-4] +
                           ["--fps", "30"], stdout=Path(outdir) / "gone.out", stderr=err,
                           env=weston.env) as p:
            time.sleep(1.5)  # frames flowing
            check(p.running(), "gone: udmaview runs on weston")
            weston.proc.kill(signal.SIGKILL)
            status = p.wait(20)
        check(status == 1 and "compositor" in procs.read_text(err),
              f"weston killed: udmaview ends with exit 1 and names the compositor ({status}: "
              f"{procs.read_text(err).strip()[-300:]})")


def run(udmaview, outdir):
    with Weston(outdir, W, H) as weston:
        for fmt in ("ARGB8888", "XBGR8888", "RGB565", "RGB888"):
            args = DEMO + ["--size", f"{W}x{H}", "--format", fmt]
            ref = procs.cpu_dump(udmaview, outdir, fmt, args)
            shot, report = shown_on_weston(udmaview, outdir, weston, fmt, args)
            check_report(fmt, report, W * H, converted=(fmt == "RGB888"))
            compare_rgb(fmt, shot, ref, 0)
        args = DEMO + ["--size", f"{W // 2}x{H // 2}", "--format", "ARGB8888"]
        ref = procs.cpu_dump(udmaview, outdir, "scaled", args)
        shot, report = shown_on_weston(udmaview, outdir, weston, "scaled", args)
        check_report("scaled", report, W * H // 4)
        compare_rgb("scaled 2x", shot, ref, SCALED_TOLERANCE)
        bad_cases(udmaview, outdir, weston)
    compositor_gone(udmaview, outdir)
    log("weston 10 headless/pixman: 1:1 exact, 2x viewporter checked, 0 bytes copied")


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    udmaview, outdir = os.path.abspath(sys.argv[1]), sys.argv[2]
    os.makedirs(outdir, exist_ok=True)
    tap.set_name("wayland")
    procs.install_signal_handlers()
    return tap.main(run, udmaview, outdir)


if __name__ == "__main__":
    sys.exit(main())
