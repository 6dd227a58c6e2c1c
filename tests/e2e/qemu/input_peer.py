#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""A QEMU stand-in for the input tests (a test tool, not a model of QEMU): fake_peer.py's
objects with an absolute mouse and a keyboard that record what the viewer sends.
argv: BUS [bottom-up].

Sends a 64x48 Scanout when udmaview registers its listener, then a CursorDefine (CURSOR:
16x16, hot spot 3,5; the left half half-transparent orange 0x80ff4000, the right half opaque
blue, 0xAARRGGBB words) and MouseSet to show it, and prints "ready"; after the release of
QEMU button 3 (wheel up), a 32x24 Scanout (a new size: the old buffer is retired). With
"bottom-up" it sends a bottom-up ScanoutDMABUF instead (bottom_up_scanout). Every
Keyboard.Press/Release and Mouse.Press/Release/SetAbsPosition/RelMotion call is answered and
printed as a JSON line {"call": "Keyboard.Press", "args": [...]}; "owned" once it owns
org.qemu."""
import json
import os
import struct
import sys

from gi.repository import Gio, GLib

import fake_peer
from fake_peer import XRGB, call, pixels

XML = fake_peer.XML.replace(
    '<property name="IsAbsolute" type="b" access="read"/>',
    '<property name="IsAbsolute" type="b" access="read"/>'
    '<method name="Press"><arg type="u" direction="in"/></method>'
    '<method name="Release"><arg type="u" direction="in"/></method>'
    '<method name="SetAbsPosition"><arg type="u" direction="in"/>'
    '<arg type="u" direction="in"/></method>'
    '<method name="RelMotion"><arg type="i" direction="in"/>'
    '<arg type="i" direction="in"/></method>'
    '</interface><interface name="org.qemu.Display1.Keyboard">'
    '<method name="Press"><arg type="u" direction="in"/></method>'
    '<method name="Release"><arg type="u" direction="in"/></method>'
    '<property name="Modifiers" type="u" access="read"/>')
node = Gio.DBusNodeInfo.new_for_xml(XML)
state = {}
MODE = sys.argv[2] if len(sys.argv) > 2 else ""
CURSOR = {"width": 16, "height": 16, "hot": (3, 5), "left": 0x80ff4000, "right": 0xff0000ff}


def cursor_bytes():
    row = [CURSOR["left"]] * (CURSOR["width"] // 2) + [CURSOR["right"]] * (CURSOR["width"] // 2)
    return struct.pack(f"<{CURSOR['width']}I", *row) * CURSOR["height"]


def prop(conn, sender, path, iface, name):
    if name == "IsAbsolute":
        return GLib.Variant("b", True)
    if name == "Modifiers":
        return GLib.Variant("u", 0)
    return fake_peer.prop(conn, sender, path, iface, name)


def bottom_up_scanout(conn):
    """A 64x48 XRGB8888 "dma-buf" (a memfd stands in: the same fd passing) stored bottom-up
    (y0_top false, as QEMU's GL scanouts): the picture's top half red, its bottom half blue,
    so the rows stored first are blue."""
    w, h = fake_peer.W, fake_peer.H
    fd = os.memfd_create("input-peer-dmabuf", os.MFD_CLOEXEC)
    os.pwrite(fd, pixels(w, h // 2, (0, 0, 255)) + pixels(w, h - h // 2, (255, 0, 0)), 0)
    fds = Gio.UnixFDList.new()
    fds.append(fd)
    state["dmabuf_fd"] = fd
    call(conn, "ScanoutDMABUF", "(huuuutb)", (0, w, h, w * 4, 0x34325258, 0, False), True,
         "ScanoutDMABUF 64x48 bottom-up", fds=fds)
    print("ready", flush=True)
    return False


def on_listener_conn(source, res):
    state["listener"] = Gio.DBusConnection.new_finish(res)
    w, h = fake_peer.W, fake_peer.H
    if MODE == "bottom-up":
        GLib.idle_add(lambda: bottom_up_scanout(state["listener"]))
        return
    def picture_and_cursor():
        conn = state["listener"]
        call(conn, "Scanout", "(uuuuay)", (w, h, w * 4, XRGB, pixels(w, h, (0, 0, 255))), True,
             f"Scanout {w}x{h}")
        call(conn, "CursorDefine", "(iiiiay)", (CURSOR["width"], CURSOR["height"],
                                                *CURSOR["hot"], cursor_bytes()), True,
             "CursorDefine 16x16")
        call(conn, "MouseSet", "(iii)", (10, 10, 1), True, "MouseSet visible")
        print("ready", flush=True)
        return False
    GLib.idle_add(picture_and_cursor)


def method(conn, sender, path, iface, name, params, inv):
    if name == "RegisterListener":
        state["stream"] = fake_peer.accept_listener(inv, params, on_listener_conn)
        return
    short = iface.rsplit(".", 1)[-1]
    if short in ("Keyboard", "Mouse"):
        args = list(params.unpack())
        print(json.dumps({"call": f"{short}.{name}", "args": args}), flush=True)
        inv.return_value(None)
        if f"{short}.{name}" == "Mouse.Release" and args == [3] and "resized" not in state:
            # After the last scripted step: a new surface size, so the viewer retires the
            # buffer the compositor still shows.
            state["resized"] = True
            GLib.idle_add(lambda: call(state["listener"], "Scanout", "(uuuuay)",
                                       (32, 24, 32 * 4, XRGB, pixels(32, 24, (0, 255, 0))),
                                       True, "Scanout 32x24") and False)
        return
    inv.return_dbus_error("org.qemu.Display1.Error.Failed", "not here")


def main():
    bus = Gio.DBusConnection.new_for_address_sync(
        sys.argv[1], Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT |
        Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION, None, None)
    objects = (("/org/qemu/Display1/VM", 0), ("/org/qemu/Display1/Console_0", 1),
               ("/org/qemu/Display1/Console_0", 2), ("/org/qemu/Display1/Console_0", 3))
    for path, iface in objects:
        bus.register_object(path, node.interfaces[iface], method, prop, None)
    Gio.bus_own_name_on_connection(bus, "org.qemu", Gio.BusNameOwnerFlags.NONE,
                                   lambda *_: print("owned", flush=True), None)
    fake_peer.run_bounded()
    return 0


if __name__ == "__main__":
    sys.exit(main())
