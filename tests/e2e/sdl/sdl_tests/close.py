# SPDX-License-Identifier: MIT
"""sdl-close: closing the window (WM_DELETE_WINDOW, as a window manager sends it) ends the
run cleanly."""

import ctypes
import re
import time

from udmaview_test.tap import Failed, check
from udmaview_test.xvfb import Xvfb

from .common import Viewer, find_window


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


def run():
    with Xvfb() as x:
        v = Viewer(["--source", "demo", "--output", "sdl", "--size", "320x240", "--duration", "60",
                    "--verbose"], x.env, "close")
        try:
            # Frame 5 or later: on a loaded machine the presenter may drop any early frame.
            v.wait_for(r"frame (?:[5-9]|[1-9]\d+) presented")
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
