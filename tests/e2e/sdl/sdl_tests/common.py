# SPDX-License-Identifier: MIT
"""What the SDL cases share: udmaview runs on the private Xvfb, the window's place, external
screenshots (ImageMagick `import`) and the headless reference pictures."""

import os
import re
import signal
import subprocess
import time

from udmaview_test import images, procs, timing
from udmaview_test.tap import Failed, check

UDMAVIEW = ""  # set by sdl_e2e.py
OUTDIR = ""
CACHE_DIR = ""  # downloads shared by the test runs (the build's vm-cache)
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


def run_cmd(args, env, timeout=60):
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
                raise Failed(f"udmaview exited ({self.proc.returncode}) before '{pattern}':\n"
                             f"{text}")
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
        r = run_cmd(["xdotool", "search", "--name", "^udmaview"], env, 10)
        ids = r.stdout.split()
        if ids:
            info = run_cmd(["xwininfo", "-id", ids[0]], env, 10).stdout
            get = lambda key: int(re.search(key + r":\s+(-?\d+)", info).group(1))
            return (ids[0], get("Absolute upper-left X"), get("Absolute upper-left Y"),
                    get("Width"), get("Height"))
        time.sleep(0.1)
    raise Failed("no udmaview window appeared")


def screenshot(env, geometry, path):
    _, x, y, w, h = geometry
    r = run_cmd(["import", "-window", "root", "-crop", f"{w}x{h}+{x}+{y}", "+repage", path],
                env, 30)
    if r.returncode != 0:
        raise Failed("import failed: " + r.stderr)


def compare(actual, expected, tolerance):
    """(pixels differing by more than tolerance in some channel, max channel difference)."""
    diff = images.compare(actual, expected, tolerance, (actual, expected))
    return diff.differing, diff.worst


def changed_pixels(path_a, path_b):
    return images.compare(path_a, path_b).differing


def expected_png(demo_args, path):
    argv = [UDMAVIEW, "--source", "demo", "--output", "headless", "--dump-png", path]
    r = run_cmd(argv + demo_args, dict(os.environ), 120)
    if r.returncode != 0:
        raise Failed("headless reference failed: " + r.stderr)


def show_and_shoot(x, demo_args, name, extra=()):
    """Runs the sdl output to the end of demo_args' frames (extra: more udmaview arguments;
    --sdl-path gl unless they name one), holds the last frame, takes an external screenshot and
    the output's own dump (--dump-png); returns (shot, dump, stderr)."""
    shot = os.path.join(OUTDIR, name + "-screen.png")
    dump = os.path.join(OUTDIR, name + "-readpixels.png")
    env = dict(x.env, UDMAVIEW_SDL_HOLD_MS="30000")
    path = [] if "--sdl-path" in extra else ["--sdl-path", "gl"]
    v = Viewer(["--source", "demo", "--output", "sdl", "--vsync", "off", "--dump-png", dump,
                "--verbose"] + path + demo_args + list(extra), env, name)
    try:
        v.wait_for(r"^sdl: holding the last frame")
        geometry = find_window(x.env)
        screenshot(x.env, geometry, shot)
    finally:
        rc = v.stop()
    check(rc == 0, f"{name}: udmaview exited 0 after SIGTERM during the hold (got {rc})")
    return shot, dump, v.stderr()


def upload_expected(err):
    """True when this machine cannot import (no EGL_EXT_image_dma_buf_import or no dma-buf)."""
    no_import = re.search(r"dma-buf import: no", err) is not None
    no_dmabuf = "demo: no dma-buf" in err
    return no_import or no_dmabuf


def timing_run(x, name, demo):
    t = os.path.join(OUTDIR, name + ".json")
    v = Viewer(["--source", "demo", "--output", "sdl", "--sdl-path", "gl", "--vsync", "off",
                "--verbose", "--timing", t] + demo, x.env, name)
    rc = v.proc.wait(120)
    err = v.stderr()
    check(rc == 0, f"{name}: udmaview exited 0 (got {rc})")
    return timing.load(t), err
