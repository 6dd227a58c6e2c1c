# SPDX-License-Identifier: MIT
"""sdl-errors: no display, a dead display, and with --sdl-path gl no EGL and no GLES 2/3
context, and bad sizes each end with one clear line and the documented exit status; an
oversized picture is fitted. A bad --sdl-path is a usage error (exit 2, one line); the software
path needs no EGL at all, and --sdl-path auto without EGL runs on it, saying so in one line."""

import os

from udmaview_test.tap import check
from udmaview_test.xvfb import Xvfb

from . import common
from .common import Viewer, find_window, run_cmd


def run():
    base = ["--source", "demo", "--output", "sdl", "--frames", "5"]

    def one_line(r):
        lines = [l for l in r.stderr.splitlines() if l.startswith("udmaview:") and "->" not in l]
        return lines

    env = dict(os.environ)
    for k in ("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER"):
        env.pop(k, None)
    r = run_cmd([common.UDMAVIEW] + base, env, 30)
    msgs = one_line(r)
    check(r.returncode == 1 and len(msgs) == 1 and "no display" in msgs[0],
          f"no DISPLAY: exit 1 and one clear line ({r.returncode}: {msgs})")

    with Xvfb() as x:
        # A display nobody serves: the next number after ours, when it has no lock file.
        n = int(x.display[1:]) + 1
        while os.path.exists(f"/tmp/.X{n}-lock") or os.path.exists(f"/tmp/.X11-unix/X{n}"):
            n += 1
        dead = dict(env, DISPLAY=f":{n}")
        r = run_cmd([common.UDMAVIEW] + base, dead, 30)
        msgs = one_line(r)
        check(r.returncode == 1 and len(msgs) == 1 and "cannot open the display" in msgs[0],
              f"DISPLAY=:{n} without a server: exit 1, one line ({r.returncode}: {msgs})")

        # No EGL: SDL cannot load the EGL library it is pointed at.
        no_egl = dict(x.env, SDL_VIDEO_EGL_DRIVER="/nonexistent/libEGL.so.1")
        gl = base + ["--sdl-path", "gl"]
        r = run_cmd([common.UDMAVIEW] + gl, no_egl, 30)
        msgs = one_line(r)
        check(r.returncode == 1 and len(msgs) == 1 and "OpenGL ES" in msgs[0],
              f"no loadable EGL: exit 1, one line ({r.returncode}: {msgs})")

        # No usable context: Mesa told to offer GLES 1.1 only (SDL asks for 3.0, then 2.0).
        no_ctx = dict(x.env, MESA_GLES_VERSION_OVERRIDE="1.1")
        r = run_cmd([common.UDMAVIEW] + gl, no_ctx, 30)
        msgs = one_line(r)
        check(r.returncode == 1 and len(msgs) == 1 and "context" in msgs[0],
              f"no GLES 2/3 context: exit 1, one line ({r.returncode}: {msgs})")

        for size in ("100000x100000", "0x0", "640x-1"):
            r = run_cmd([common.UDMAVIEW] + base + ["--size", size], x.env, 30)
            msgs = one_line(r)
            check(r.returncode == 2 and len(msgs) == 1 and "--size" in msgs[0],
                  f"--size {size}: usage error, exit 2 ({msgs})")

        software = base + ["--sdl-path", "software"]
        r = run_cmd([common.UDMAVIEW] + base + ["--sdl-path", "bogus"], x.env, 30)
        msgs = one_line(r)
        words = "--sdl-path: 'bogus' is not one of auto, gl, software"
        check(r.returncode == 2 and len(msgs) == 1 and words in msgs[0],
              f"--sdl-path bogus: exit 2, one line with '{words}' ({r.returncode}: {msgs})")
        r = run_cmd([common.UDMAVIEW] + software, no_egl, 30)
        check(r.returncode == 0, "--sdl-path software without a loadable EGL runs "
              f"({r.returncode}: {one_line(r)})")
        for what, env_ in (("a loadable EGL", no_egl), ("a GLES 2/3 context", no_ctx)):
            r = run_cmd([common.UDMAVIEW] + base, env_, 30)
            chose = [l for l in r.stderr.splitlines() if l.startswith("sdl: --sdl-path auto")]
            check(r.returncode == 0 and len(chose) == 1 and
                  "chose software: GL cannot start here" in chose[0],
                  f"--sdl-path auto without {what} runs on the software view and says so in "
                  f"one line ({r.returncode}: {chose} {one_line(r)})")

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
