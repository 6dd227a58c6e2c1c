# SPDX-License-Identifier: MIT
"""sdl-input: pointer (with letterboxing), buttons, wheel and keys reach the source as evdev
codes; the grab, release and fullscreen chords are not forwarded."""

import re
import time

from udmaview_test.tap import check, log
from udmaview_test.xvfb import Xvfb

from .common import Viewer, find_window, run_cmd


def run():
    with Xvfb() as x:
        v = Viewer(["--source", "demo", "--output", "sdl", "--sdl-path", "gl", "--size",
                    "320x240", "--fps", "10", "--duration", "60", "--verbose"], x.env, "input")
        try:
            v.wait_for(r"frame 1 presented")
            win = find_window(x.env)[0]
            xdo = lambda *a: run_cmd(["xdotool"] + list(a), x.env, 10)

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
