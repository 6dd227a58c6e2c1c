#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""End-to-end tests of `udmaview --output sdl` on a private Xvfb with Mesa (llvmpipe).

usage: sdl_e2e.py UDMAVIEW CASE [OUTDIR]
CASE: formats | damage | input | close | errors

Every case starts its own Xvfb (Xvfb picks a free display number itself with -displayfd),
owns it, and kills it by PID on every path (finally + atexit). Screenshots are taken of the
root window with ImageMagick `import` (exact pixels on Xvfb) and cropped to the udmaview window
as `xwininfo` places it. Expected pictures come from `udmaview --output headless --dump-png`
with the same size/format/pattern/seed/frame count: the demo is a pure function of those.

Tolerance: 0 (every channel of every pixel equal) for the 8-bit-per-channel formats: at 1:1
scale each window pixel samples its texel at the texel centre, so nearest and linear filters
both return the stored 8-bit value, and the shader only moves channels. For RGB565 a GPU may
expand 5/6-bit channels as round(v * 255 / 31) where udmaview's own conversion replicates bits;
the two differ by at most 1, so RGB565 is allowed a difference of 1 per channel (llvmpipe here
measured 0).
Exit status: 0 pass, 1 fail, 77 skip (a tool is missing).
"""
import ctypes
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "lib"))

from udmaview_test import images, procs, tap, timing  # noqa: E402
from udmaview_test.tap import Failed, Skipped, check, log  # noqa: E402
from udmaview_test.xvfb import Xvfb  # noqa: E402

UDMAVIEW = ""
OUTDIR = ""
TOOLS = ("Xvfb", "xdotool", "xwininfo", "import")
FORMATS = {  # name: (bytes per pixel, tolerance per channel)
    "XRGB8888": (4, 0),
    "ARGB8888": (4, 0),
    "XBGR8888": (4, 0),
    "ABGR8888": (4, 0),
    "RGB565": (2, 1),
    # the other table formats GLES can take byte for byte
    "RGB888": (3, 0),
    "BGR888": (3, 0),
    "RGBX8888": (4, 0),
    "BGRX8888": (4, 0),
}


def run(args, env, timeout=60):
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=timeout)


class Viewer:
    """udmaview running in the background (owned) with its stderr in a file."""

    def __init__(self, args, env, name):
        self.err_path = os.path.join(OUTDIR, name + ".stderr")
        self.proc = procs.start(name, [UDMAVIEW] + args, env=env, stdout=subprocess.DEVNULL,
                                stderr=self.err_path)

    def stderr(self):
        return procs.read_text(self.err_path)

    def wait_for(self, pattern, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.stderr()
            if re.search(pattern, text, re.M):
                return text
            if not self.proc.running():
                text = self.stderr()
                if re.search(pattern, text, re.M):
                    return text
                raise Failed(f"udmaview exited ({self.proc.returncode}) before '{pattern}':\n{text}")
            time.sleep(0.05)
        raise Failed(f"no '{pattern}' within {timeout} s:\n{self.stderr()}")

    def stop(self, timeout=20):
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout)
        except Failed:
            self.proc.kill(signal.SIGKILL)
            raise Failed("udmaview did not stop on SIGTERM") from None


def find_window(env, timeout=15):
    """(id, x, y, w, h) of the udmaview window (absolute position on the root window)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        r = run(["xdotool", "search", "--name", "^udmaview"], env, 10)
        ids = r.stdout.split()
        if ids:
            info = run(["xwininfo", "-id", ids[0]], env, 10).stdout
            get = lambda key: int(re.search(key + r":\s+(-?\d+)", info).group(1))
            return (ids[0], get("Absolute upper-left X"), get("Absolute upper-left Y"),
                    get("Width"), get("Height"))
        time.sleep(0.1)
    raise Failed("no udmaview window appeared")


def screenshot(env, geometry, path):
    _, x, y, w, h = geometry
    r = run(["import", "-window", "root", "-crop", f"{w}x{h}+{x}+{y}", "+repage", path], env, 30)
    if r.returncode != 0:
        raise Failed("import failed: " + r.stderr)


def compare(actual, expected, tolerance):
    """(pixels differing by more than tolerance in some channel, max channel difference)."""
    diff = images.compare(actual, expected, tolerance, (actual, expected))
    return diff.differing, diff.worst


def changed_pixels(path_a, path_b):
    return images.compare(path_a, path_b).differing


def expected_png(demo_args, path):
    r = run([UDMAVIEW, "--source", "demo", "--output", "headless", "--dump-png", path] + demo_args,
            dict(os.environ), 120)
    if r.returncode != 0:
        raise Failed("headless reference failed: " + r.stderr)


def show_and_shoot(x, demo_args, name):
    """Runs the sdl output to the end of demo_args' frames, holds the last frame, takes an
    external screenshot and the output's own glReadPixels dump; returns (shot, dump, stderr)."""
    shot = os.path.join(OUTDIR, name + "-screen.png")
    dump = os.path.join(OUTDIR, name + "-readpixels.png")
    env = dict(x.env, UDMAVIEW_SDL_HOLD_MS="30000")
    v = Viewer(["--source", "demo", "--output", "sdl", "--vsync", "off", "--dump-png", dump,
                "--verbose"] + demo_args, env, name)
    try:
        v.wait_for(r"^sdl: holding the last frame")
        geometry = find_window(x.env)
        screenshot(x.env, geometry, shot)
    finally:
        rc = v.stop()
    check(rc == 0, f"{name}: udmaview exited 0 after SIGTERM during the hold (got {rc})")
    return shot, dump, v.stderr()


# --- cases ------------------------------------------------------------------------------------


def case_formats():
    with Xvfb() as x:
        for fmt, (_, tol) in FORMATS.items():
            # 75 frames of "all": buffer 0, flip to 1 at 31, back to 0 at 61; buffer 0's texture
            # must receive everything that changed while buffer 1 was shown.
            demo = ["--size", "320x240", "--format", fmt, "--pattern", "all", "--seed", "7",
                    "--frames", "75", "--fps", "60"]
            shot, dump, err = show_and_shoot(x, demo, "format-" + fmt)
            ref = os.path.join(OUTDIR, f"format-{fmt}-expected.png")
            expected_png(demo, ref)
            for what, path in (("screenshot", shot), ("glReadPixels dump", dump)):
                bad, worst = compare(path, ref, tol)
                check(bad == 0, f"{fmt}: {what} equals the headless frame 75 within {tol} "
                      f"per channel (max difference seen {worst})")


def upload_expected(err):
    """True when this machine cannot import (no EGL_EXT_image_dma_buf_import or no dma-buf)."""
    no_import = re.search(r"dma-buf import: no", err) is not None
    no_dmabuf = "demo: no dma-buf" in err
    return no_import or no_dmabuf


def timing_run(x, name, demo):
    t = os.path.join(OUTDIR, name + ".json")
    v = Viewer(["--source", "demo", "--output", "sdl", "--vsync", "off", "--verbose",
                "--timing", t] + demo, x.env, name)
    rc = v.proc.wait(120)
    err = v.stderr()
    check(rc == 0, f"{name}: udmaview exited 0 (got {rc})")
    return timing.load(t), err


def case_damage():
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

        # A damage-only update changes only the window area the picture changed in: the
        # window at frame 40 and 41 equals the headless frames exactly, so the pixels that
        # changed on screen are exactly the ones the demo changed.
        shots = []
        for n in (40, 41):
            demo = ["--size", "320x240", "--pattern", "rects", "--frames", str(n), "--fps", "60"]
            shot, _, _ = show_and_shoot(x, demo, f"damage-step-{n}")
            ref = os.path.join(OUTDIR, f"damage-step-{n}-expected.png")
            expected_png(demo, ref)
            bad, worst = compare(shot, ref, 0)
            check(bad == 0, f"frame {n} on screen equals the headless frame (max diff {worst})")
            shots.append((shot, ref))
        on_screen = changed_pixels(shots[0][0], shots[1][0])
        in_demo = changed_pixels(shots[0][1], shots[1][1])
        check(on_screen == in_demo and 0 < on_screen < 320 * 240 // 4,
              f"frame 40 -> 41 changed {on_screen} window pixels, the demo changed {in_demo}")


WM_DELETE = None


def send_wm_delete(display, window_id):
    """What a window manager does when the close button is clicked: a WM_DELETE_WINDOW
    ClientMessage (there is no window manager on Xvfb)."""
    x11 = ctypes.cdll.LoadLibrary("libX11.so.6")
    x11.XOpenDisplay.restype = ctypes.c_void_p
    x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
    x11.XInternAtom.restype = ctypes.c_ulong
    x11.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
    x11.XSendEvent.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_long,
                               ctypes.c_void_p]
    x11.XFlush.argtypes = [ctypes.c_void_p]
    x11.XCloseDisplay.argtypes = [ctypes.c_void_p]

    class ClientMessage(ctypes.Structure):
        _fields_ = [("type", ctypes.c_int), ("serial", ctypes.c_ulong),
                    ("send_event", ctypes.c_int), ("display", ctypes.c_void_p),
                    ("window", ctypes.c_ulong), ("message_type", ctypes.c_ulong),
                    ("format", ctypes.c_int), ("data", ctypes.c_long * 5),
                    ("pad", ctypes.c_long * 12)]

    dpy = x11.XOpenDisplay(display.encode())
    if not dpy:
        raise Failed("cannot open " + display)
    try:
        ev = ClientMessage()
        ev.type = 33  # ClientMessage
        ev.window = int(window_id)
        ev.message_type = x11.XInternAtom(dpy, b"WM_PROTOCOLS", 0)
        ev.format = 32
        ev.data[0] = x11.XInternAtom(dpy, b"WM_DELETE_WINDOW", 0)
        ev.data[1] = 0  # CurrentTime
        x11.XSendEvent(dpy, int(window_id), 0, 0, ctypes.byref(ev))
        x11.XFlush(dpy)
    finally:
        x11.XCloseDisplay(dpy)


def case_input():
    with Xvfb() as x:
        v = Viewer(["--source", "demo", "--output", "sdl", "--size", "320x240", "--fps", "10",
                    "--duration", "60", "--verbose"], x.env, "input")
        try:
            v.wait_for(r"frame 1 presented")
            win = find_window(x.env)[0]
            xdo = lambda *a: run(["xdotool"] + list(a), x.env, 10)

            def expect(pattern, what):
                v.wait_for(pattern, 10)
                log("ok: " + what)

            title = ""
            deadline = time.monotonic() + 5
            while not re.search(r"\| [1-9][0-9.]* fps", title) and time.monotonic() < deadline:
                title = xdo("getwindowname", win).stdout.strip()
                time.sleep(0.1)
            check(re.fullmatch(r"udmaview: demo 320x240 XRGB8888 \| [0-9.]+ fps \| upload", title)
                  is not None, f"title names source, size, fps and path: '{title}'")
            xdo("mousemove", "--window", win, "10", "20")
            expect(r"^demo: input move 10 20$", "pointer at window (10,20) -> source (10,20)")
            # Letterbox: a 640x240 window shows the 320x240 picture at x 160..480.
            xdo("windowsize", win, "640", "240")
            deadline = time.monotonic() + 10
            while find_window(x.env)[3] != 640 and time.monotonic() < deadline:
                time.sleep(0.1)
            time.sleep(0.3)
            xdo("mousemove", "--window", win, "260", "50")
            expect(r"^demo: input move 100 50$", "letterboxed: window (260,50) -> source (100,50)")
            xdo("mousemove", "--window", win, "20", "60")  # on the left bar
            xdo("mousemove", "--window", win, "170", "60")
            expect(r"^demo: input move 10 60$", "window (170,60) -> source (10,60)")
            check("input move 0 60" not in v.stderr(),
                  "no pointer event on the letterbox bar while not grabbed")
            xdo("click", "1")
            expect(r"^demo: input button 272 pressed$", "left click -> BTN_LEFT (272) pressed")
            expect(r"^demo: input button 272 released$", "BTN_LEFT released")
            expect(r"^sdl: input grabbed", "a click grabs the input")
            xdo("click", "3")
            expect(r"^demo: input button 273 pressed$", "right click -> BTN_RIGHT (273)")
            xdo("click", "2")
            expect(r"^demo: input button 274 pressed$", "middle click -> BTN_MIDDLE (274)")
            xdo("click", "4")
            expect(r"^demo: input wheel 0 1$", "wheel up -> wheel dy +1")
            xdo("click", "5")
            expect(r"^demo: input wheel 0 -1$", "wheel down -> wheel dy -1")
            xdo("key", "a")
            expect(r"^demo: input key 30 pressed$", "key a -> KEY_A (30) pressed")
            expect(r"^demo: input key 30 released$", "KEY_A released")
            xdo("key", "shift+q")
            expect(r"^demo: input key 42 pressed$", "shift -> KEY_LEFTSHIFT (42)")
            expect(r"^demo: input key 16 pressed$", "q -> KEY_Q (16)")
            xdo("key", "Return")
            expect(r"^demo: input key 28 pressed$", "Return -> KEY_ENTER (28)")
            xdo("key", "ctrl+alt+g")
            expect(r"^sdl: input released", "Ctrl+Alt+G releases the grab")
            check("input key 34 " not in v.stderr(), "the G of Ctrl+Alt+G is not forwarded")
            xdo("key", "F11")
            expect(r"^sdl: fullscreen on", "F11 toggles fullscreen on")
            check("input key 87 " not in v.stderr(), "F11 is not forwarded")
            # The window's size is not checked: on X11 fullscreen is a request to the window
            # manager (_NET_WM_STATE_FULLSCREEN) and Xvfb here runs without one.
            xdo("key", "ctrl+alt+f")
            expect(r"^sdl: fullscreen off", "Ctrl+Alt+F toggles fullscreen off")
        finally:
            rc = v.stop()
        check(rc == 0, f"udmaview exited 0 after SIGTERM (got {rc})")


def case_close():
    with Xvfb() as x:
        v = Viewer(["--source", "demo", "--output", "sdl", "--size", "320x240", "--duration", "60",
                    "--verbose"], x.env, "close")
        try:
            v.wait_for(r"frame 5 presented")
            win = find_window(x.env)[0]
            started = time.monotonic()
            send_wm_delete(x.display, win)
            rc = v.proc.wait(15)
            took = time.monotonic() - started
        finally:
            if v.proc.poll() is None:
                v.stop()
        err = v.stderr()
        check(rc == 0, f"closing the window mid-run exits 0 (got {rc}) after {took:.2f} s")
        check("quit by user" in err, "the run ends as 'quit by user'")
        check(re.search(r"-> sdl: \d+ frames", err) is not None, "the timing summary is printed")


def case_errors():
    base = ["--source", "demo", "--output", "sdl", "--frames", "5"]

    def one_line(r):
        lines = [l for l in r.stderr.splitlines() if l.startswith("udmaview:") and "->" not in l]
        return lines

    env = dict(os.environ)
    for k in ("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER"):
        env.pop(k, None)
    r = run([UDMAVIEW] + base, env, 30)
    msgs = one_line(r)
    check(r.returncode == 1 and len(msgs) == 1 and "no display" in msgs[0],
          f"no DISPLAY: exit 1 and one clear line ({r.returncode}: {msgs})")

    with Xvfb() as x:
        # A display nobody serves: the next number after ours, when it has no lock file.
        n = int(x.display[1:]) + 1
        while os.path.exists(f"/tmp/.X{n}-lock") or os.path.exists(f"/tmp/.X11-unix/X{n}"):
            n += 1
        dead = dict(env, DISPLAY=f":{n}")
        r = run([UDMAVIEW] + base, dead, 30)
        msgs = one_line(r)
        check(r.returncode == 1 and len(msgs) == 1 and "cannot open the display" in msgs[0],
              f"DISPLAY=:{n} without a server: exit 1, one line ({r.returncode}: {msgs})")

        # No EGL: SDL cannot load the EGL library it is pointed at.
        no_egl = dict(x.env, SDL_VIDEO_EGL_DRIVER="/nonexistent/libEGL.so.1")
        r = run([UDMAVIEW] + base, no_egl, 30)
        msgs = one_line(r)
        check(r.returncode == 1 and len(msgs) == 1 and "OpenGL ES" in msgs[0],
              f"no loadable EGL: exit 1, one line ({r.returncode}: {msgs})")

        # No usable context: Mesa told to offer GLES 1.1 only (SDL asks for 3.0, then 2.0).
        no_ctx = dict(x.env, MESA_GLES_VERSION_OVERRIDE="1.1")
        r = run([UDMAVIEW] + base, no_ctx, 30)
        msgs = one_line(r)
        check(r.returncode == 1 and len(msgs) == 1 and "context" in msgs[0],
              f"no GLES 2/3 context: exit 1, one line ({r.returncode}: {msgs})")

        for size in ("100000x100000", "0x0", "640x-1"):
            r = run([UDMAVIEW] + base + ["--size", size], x.env, 30)
            msgs = one_line(r)
            check(r.returncode == 2 and len(msgs) == 1 and "--size" in msgs[0],
                  f"--size {size}: usage error, exit 2 ({msgs})")

        # Valid but wider than the screen: the window is fitted to the screen, the picture
        # letterboxed; the run completes.
        v = Viewer(base[:-2] + ["--frames", "3", "--size", "16384x64", "--verbose"],
                   dict(x.env, UDMAVIEW_SDL_HOLD_MS="20000"), "errors-wide")
        try:
            v.wait_for(r"^sdl: holding the last frame")
            _, _, _, w, h = find_window(x.env)
        finally:
            rc = v.stop()
        check(rc == 0 and w <= 1280 and h <= 1024,
              f"--size 16384x64: window fitted to the screen ({w}x{h}), exit {rc}")
    for text in (r.stderr,):
        check("Segmentation" not in text and "Aborted" not in text, "no crash output")


CASES = {"formats": case_formats, "damage": case_damage, "input": case_input,
         "close": case_close, "errors": case_errors}


def run_case(case):
    missing = [t for t in TOOLS if not shutil.which(t)]
    if missing:
        raise Skipped("missing " + ", ".join(missing) + " (tools/install-deps installs them)")
    log(f"output in {OUTDIR}")
    CASES[case]()


def main():
    global UDMAVIEW, OUTDIR
    if len(sys.argv) < 3 or sys.argv[2] not in CASES:
        print(__doc__, file=sys.stderr)
        return 2
    UDMAVIEW = os.path.abspath(sys.argv[1])
    OUTDIR = os.path.join(sys.argv[3] if len(sys.argv) > 3 else tempfile.mkdtemp(),
                          "sdl-e2e-" + sys.argv[2])
    os.makedirs(OUTDIR, exist_ok=True)
    tap.set_name("sdl " + sys.argv[2])
    procs.install_signal_handlers()
    return tap.main(run_case, sys.argv[2])


if __name__ == "__main__":
    sys.exit(main())
