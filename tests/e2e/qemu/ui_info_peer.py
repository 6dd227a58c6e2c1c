#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""A QEMU stand-in for the --guest-size tests (a test tool, not a model of QEMU): fake_peer.py's
objects plus Console.SetUIInfo. argv: BUS [MODES [WxH]], MODES a comma-separated list of
nomethod and map.

Sends a Scanout of WxH (default 64x48) when udmaview registers its listener. Every SetUIInfo call is printed as
a JSON line {"set_ui_info": [width, height, width_mm, height_mm]} and answered; a size narrower
than 600 pixels is then followed by a Scanout of that size (a guest that takes it), a wider
one is not (a guest that keeps its size). With "nomethod" the console has no SetUIInfo at all
(as a peer without it: the bus answers org.freedesktop.DBus.Error.UnknownMethod). With "map"
every size is followed, as a ScanoutMap of a memfd udmabuf can take (F_SEAL_SHRINK), then 30
UpdateMap of a 16x16 square every 100 ms (the steady state), and "steady done" is printed.
With both (a guest that can never be asked), the first picture is such a ScanoutMap of WxH, its
steady UpdateMaps starting after 2 s."""
import fcntl
import json
import os
import sys

from gi.repository import Gio, GLib

import fake_peer
from fake_peer import MAP, XRGB, call, pixels

FOLLOW_BELOW = 600
modes = set(sys.argv[2].split(",")) if len(sys.argv) > 2 else set()
nomethod = "nomethod" in modes
mode = "map" if "map" in modes else ""
START = tuple(int(v) for v in sys.argv[3].split("x")) if len(sys.argv) > 3 else (fake_peer.W,
                                                                                 fake_peer.H)
xml = fake_peer.XML
if not nomethod:
    xml = xml.replace(
        '<method name="RegisterListener">',
        '<method name="SetUIInfo"><arg type="q" direction="in"/><arg type="q" direction="in"/>'
        '<arg type="i" direction="in"/><arg type="i" direction="in"/>'
        '<arg type="u" direction="in"/><arg type="u" direction="in"/></method>'
        '<method name="RegisterListener">')
node = Gio.DBusNodeInfo.new_for_xml(xml)
state = {}


def scanout(w, h, rgb):
    call(state["listener"], "Scanout", "(uuuuay)",
         fake_peer.pixel_args(w, h, w * 4, XRGB, pixels(w, h, rgb)), True, f"Scanout {w}x{h}")


def scanout_map(w, h, first_update_ms=100):
    """A dma-buf-able surface (page-sized memfd sealed against shrinking), then its updates."""
    size = (w * h * 4 + 4095) // 4096 * 4096
    fd = os.memfd_create("ui-info-peer", os.MFD_CLOEXEC | os.MFD_ALLOW_SEALING)
    os.ftruncate(fd, size)
    fcntl.fcntl(fd, fcntl.F_ADD_SEALS, fcntl.F_SEAL_SHRINK)
    os.pwrite(fd, pixels(w, h, (0, 128, 255)), 0)
    fds = Gio.UnixFDList.new()
    fds.append(fd)
    state["map_fd"] = fd
    call(state["listener"], "ScanoutMap", "(huuuuu)", (0, 0, w, h, w * 4, XRGB), True,
         f"ScanoutMap {w}x{h}", fds=fds, iface=MAP)
    steps = iter(range(30))

    def update():
        i = next(steps, None)
        if i is None:
            print("steady done", flush=True)
            return False
        x, y = (i * 16) % (w - 16), (i * 8) % (h - 16)
        for row in range(16):
            os.pwrite(fd, pixels(16, 1, (255, i * 8, 0)), ((y + row) * w + x) * 4)
        call(state["listener"], "UpdateMap", "(iiii)", (x, y, 16, 16), True,
             f"UpdateMap {i}", iface=MAP)
        return True

    def start_updates():
        GLib.timeout_add(100, update)
        return False
    GLib.timeout_add(max(first_update_ms - 100, 0), start_updates)


def on_listener_conn(source, res):
    state["listener"] = Gio.DBusConnection.new_finish(res)
    if nomethod and mode == "map":
        GLib.idle_add(lambda: scanout_map(*START, first_update_ms=2000) and False)
    else:
        GLib.idle_add(lambda: scanout(*START, (0, 0, 255)) and False)
    print("ready", flush=True)


def method(conn, sender, path, iface, name, params, inv):
    if name == "SetUIInfo":
        wmm, hmm, _x, _y, w, h = params.unpack()
        print(json.dumps({"set_ui_info": [w, h, wmm, hmm]}), flush=True)
        inv.return_value(None)
        if mode == "map" and "listener" in state:
            GLib.idle_add(lambda: scanout_map(w, h) and False)
        elif w < FOLLOW_BELOW and "listener" in state:
            GLib.idle_add(lambda: scanout(w, h, (0, 255, 0)) and False)
        return
    if name != "RegisterListener":
        inv.return_dbus_error("org.qemu.Display1.Error.Failed", "not here")
        return
    state["stream"] = fake_peer.accept_listener(inv, params, on_listener_conn)


def main():
    bus = fake_peer.serve(sys.argv[1], node, method)  # noqa: F841 (kept alive by the loop)
    fake_peer.run_bounded()
    return 0


if __name__ == "__main__":
    sys.exit(main())
