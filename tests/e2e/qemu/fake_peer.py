#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""A hostile QEMU stand-in for the robustness test (a test tool, not a model of QEMU).

Owns org.qemu on the bus given as argv[1] and exports just enough of org.qemu.Display1
(VM.ConsoleIDs, Console_0 with RegisterListener) for udmaview to attach. When udmaview
registers its listener, the peer sends each malformed message listed below (bad geometry,
formats, fds) and checks that every one is answered with an error (not a crash), then sends
a valid Scanout + Update, a valid ScanoutDMABUF (a memfd it keeps writing to) +
UpdateDMABUF, then checks that the listener lists Unix.Map in its Interfaces property, sends
malformed ScanoutMap/UpdateMap calls (QEMU 9.2's shared-memory scanout) and a valid
ScanoutMap of a memfd + UpdateMap, and prints the JSON description of the picture udmaview
must end up showing, then "verdict ok|FAILED". It stays on the bus until killed, so the viewer
has no reason to end.

With "shrink" as argv[2] the peer instead sends a valid ScanoutMap of a memfd made like
QEMU's (F_SEAL_SEAL, no F_SEAL_SHRINK), an UpdateMap, then truncates that memfd to one page
(nothing stops a buggy or hostile QEMU from doing so after the call), prints "shrunk" and
announces the whole surface changed again with UpdateMap, then "verdict ok".

With "flood" as argv[2] the peer sends a valid Scanout, prints "flooding", then FLOOD
Updates of an 8x8 rectangle as fast as it can (asynchronous calls, aiming at 10 kHz, in
steps of 1/100 s), waits for every answer and prints a JSON line {"sent", "accepted",
"seconds", "rate_hz"} and "verdict ok" when every Update was accepted.
"""
import json
import os
import sys

from gi.repository import Gio, GLib

XML = """<node>
  <interface name="org.qemu.Display1.VM">
    <property name="Name" type="s" access="read"/>
    <property name="UUID" type="s" access="read"/>
    <property name="ConsoleIDs" type="au" access="read"/>
  </interface>
  <interface name="org.qemu.Display1.Console">
    <method name="RegisterListener"><arg type="h" name="listener" direction="in"/></method>
    <property name="Label" type="s" access="read"/>
    <property name="Head" type="u" access="read"/>
    <property name="Type" type="s" access="read"/>
    <property name="Width" type="u" access="read"/>
    <property name="Height" type="u" access="read"/>
    <property name="DeviceAddress" type="s" access="read"/>
  </interface>
  <interface name="org.qemu.Display1.Mouse">
    <property name="IsAbsolute" type="b" access="read"/>
  </interface>
</node>"""

XRGB = 0x20020888  # pixman x8r8g8b8
LISTENER = "org.qemu.Display1.Listener"
MAP = "org.qemu.Display1.Listener.Unix.Map"
W, H = 64, 48
node = Gio.DBusNodeInfo.new_for_xml(XML)
loop = GLib.MainLoop()
results = {"ok": True}


def prop(conn, sender, path, iface, name):
    values = {
        "Name": GLib.Variant("s", "fake"), "UUID": GLib.Variant("s", "0"),
        "ConsoleIDs": GLib.Variant("au", [0]), "Label": GLib.Variant("s", "FAKE"),
        "Head": GLib.Variant("u", 0), "Type": GLib.Variant("s", "Graphic"),
        "Width": GLib.Variant("u", W), "Height": GLib.Variant("u", H),
        "DeviceAddress": GLib.Variant("s", ""), "IsAbsolute": GLib.Variant("b", False),
    }
    return values.get(name)


def pixels(w, h, rgb):
    r, g, b = rgb
    return bytes([b, g, r, 0]) * (w * h)


def pixel_args(w, h, stride, fmt, data):
    """(uuuuay) built from bytes at once: GLib.Variant("ay", ...) walks the bytes one by one,
    which takes tens of seconds for a large picture under TCG."""
    ay = GLib.Variant.new_from_bytes(GLib.VariantType.new("ay"), GLib.Bytes.new(data), True)
    return GLib.Variant.new_tuple(GLib.Variant("u", w), GLib.Variant("u", h),
                                  GLib.Variant("u", stride), GLib.Variant("u", fmt), ay)


def call(conn, method, sig, args, expect_ok, name, fds=None, iface=LISTENER):
    try:
        params = args if isinstance(args, GLib.Variant) else GLib.Variant(sig, args) if sig else None
        if fds is not None:
            conn.call_with_unix_fd_list_sync(None, "/org/qemu/Display1/Listener", iface, method,
                                             params, None, Gio.DBusCallFlags.NONE, 5000, fds,
                                             None)
        else:
            conn.call_sync(None, "/org/qemu/Display1/Listener", iface, method, params, None,
                           Gio.DBusCallFlags.NONE, 5000, None)
        outcome = "accepted"
    except GLib.Error as e:
        outcome = "rejected: " + e.message.split(":", 2)[-1].strip()
        if "Timeout" in e.message or "closed" in e.message.lower() or "NoReply" in e.message:
            outcome = "NO ANSWER: " + e.message
    good = outcome.startswith("accepted") == expect_ok and not outcome.startswith("NO ANSWER")
    results["ok"] = results["ok"] and good
    print(f"{'ok' if good else 'NOT OK'} {name}: {outcome}", flush=True)


def memfd_list(size):
    fd = os.memfd_create("fake-dmabuf", os.MFD_CLOEXEC)
    os.ftruncate(fd, size)
    fds = Gio.UnixFDList.new()
    fds.append(fd)
    os.close(fd)
    return fds


def pipe_list():
    r, w = os.pipe()
    fds = Gio.UnixFDList.new()
    fds.append(r)
    os.close(r)
    os.close(w)
    return fds


def check_interfaces(conn):
    """QEMU >= 9.2 uses Unix.Map only when the listener's Interfaces property lists it."""
    try:
        reply = conn.call_sync(None, "/org/qemu/Display1/Listener",
                               "org.freedesktop.DBus.Properties", "Get",
                               GLib.Variant("(ss)", (LISTENER, "Interfaces")), None,
                               Gio.DBusCallFlags.NONE, 5000, None)
        names = reply.unpack()[0]
    except GLib.Error as e:
        names = "error " + e.message
    good = isinstance(names, list) and MAP in names
    results["ok"] = results["ok"] and good
    print(f"{'ok' if good else 'NOT OK'} the listener's Interfaces lists {MAP}: {names}",
          flush=True)


def map_attack(conn):
    """Unix.Map (QEMU >= 9.2): malformed calls, then a valid memfd scanout the viewer must
    show in place; returns the expected picture."""
    cyan, orange = (0, 255, 255), (255, 128, 0)
    size = 4096 + W * H * 4
    check_interfaces(conn)
    call(conn, "UpdateMap", "(iiii)", (0, 0, 8, 8), False, "UpdateMap before any ScanoutMap",
         iface=MAP)
    call(conn, "ScanoutMap", "(huuuuu)", (0, 0, W, H, W * 4, XRGB), False,
         "ScanoutMap of a pipe", fds=pipe_list(), iface=MAP)
    call(conn, "ScanoutMap", "(huuuuu)", (0, size, W, H, W * 4, XRGB), False,
         "ScanoutMap with the offset past the end", fds=memfd_list(size), iface=MAP)
    call(conn, "ScanoutMap", "(huuuuu)", (0, 4096, W, H, W * 4, XRGB), False,
         "ScanoutMap one byte short of stride x height", fds=memfd_list(size - 1), iface=MAP)
    call(conn, "ScanoutMap", "(huuuuu)", (0, 0, W, H, 0xffffffff, XRGB), False,
         "ScanoutMap with stride 0xffffffff (stride x height overflows 32 bits)",
         fds=memfd_list(size), iface=MAP)
    call(conn, "ScanoutMap", "(huuuuu)", (0, 0, W, H, W * 4, 0x12345678), False,
         "ScanoutMap with an unknown pixman format", fds=memfd_list(size), iface=MAP)
    call(conn, "ScanoutMap", "(huuuuu)", (0, 0, 0, 0, 0, XRGB), False,
         "ScanoutMap of zero size", fds=memfd_list(size), iface=MAP)
    call(conn, "ScanoutMap", "(huuuuu)", (0, 0, 20000, 1, 80000, XRGB), False,
         "ScanoutMap 20000 pixels wide", fds=memfd_list(size), iface=MAP)
    call(conn, "ScanoutMap", "(huuuuu)", (0, 0, W, H, W * 4 - 4, XRGB), False,
         "ScanoutMap with stride < width x 4", fds=memfd_list(size), iface=MAP)
    call(conn, "ScanoutMap", "(huuuuu)", (3, 0, W, H, W * 4, XRGB), False,
         "ScanoutMap naming an fd that was not passed", fds=memfd_list(size), iface=MAP)
    # The valid one, made like QEMU's (memfd without MFD_ALLOW_SEALING), at a page offset.
    fd = os.memfd_create("fake-qemu-surface", os.MFD_CLOEXEC)
    os.ftruncate(fd, size)
    os.pwrite(fd, pixels(W, H, cyan), 4096)
    fds = Gio.UnixFDList.new()
    fds.append(fd)
    call(conn, "ScanoutMap", "(huuuuu)", (0, 4096, W, H, W * 4, XRGB), True,
         "valid ScanoutMap 64x48 at offset 4096 (cyan)", fds=fds, iface=MAP)
    for y in range(8, 16):
        os.pwrite(fd, pixels(8, 1, orange), 4096 + y * W * 4 + 32 * 4)
    call(conn, "UpdateMap", "(iiii)", (32, 8, 8, 8), True, "valid UpdateMap 32,8 8x8 (orange)",
         iface=MAP)
    os.pwrite(fd, pixels(4, 1, orange), 4096 + (H - 1) * W * 4 + (W - 4) * 4)
    call(conn, "UpdateMap", "(iiii)", (W - 4, H - 1, 100, 100), True,
         "UpdateMap partly outside (clipped to the surface)", iface=MAP)
    call(conn, "UpdateMap", "(iiii)", (W, 0, 8, 8), False, "UpdateMap right of the surface",
         iface=MAP)
    call(conn, "UpdateMap", "(iiii)", (-8, -8, 8, 8), False, "UpdateMap above-left of it",
         iface=MAP)
    call(conn, "UpdateMap", "(iiii)", (2147483640, 0, 16, 1), False,
         "UpdateMap whose x + width overflows int32", iface=MAP)
    call(conn, "UpdateMap", "(iiii)", (0, 0, 0, 8), False, "UpdateMap of an empty rect",
         iface=MAP)
    call(conn, "UpdateMap", "(s)", ("garbage",), False, "UpdateMap with a wrong signature",
         iface=MAP)
    results["map_fd"] = fd
    return {"width": W, "height": H, "pixels": [
        [0, 0, list(cyan)], [32, 8, list(orange)], [39, 15, list(orange)], [40, 16, list(cyan)],
        [31, 8, list(cyan)], [W - 1, H - 1, list(orange)], [W - 5, H - 1, list(cyan)],
        # the 2x2 white cursor, hot spot (1, 1), shown at (10, 10) by MouseSet
        [9, 9, [255, 255, 255]], [10, 10, [255, 255, 255]], [11, 11, list(cyan)]]}


def attack(conn):
    red, green, blue = (255, 0, 0), (0, 255, 0), (0, 0, 255)
    call(conn, "Update", "(iiiiuuay)", (0, 0, 4, 4, 16, XRGB, pixels(4, 4, red)), False,
         "Update before any Scanout")
    call(conn, "Scanout", "(uuuuay)", (W, H, W * 4, 0x12345678, pixels(W, H, red)), False,
         "Scanout with an unknown pixman format")
    call(conn, "Scanout", "(uuuuay)", (0, 0, 0, XRGB, b""), False, "Scanout of zero size")
    call(conn, "Scanout", "(uuuuay)", (100000, 100000, 400000, XRGB, b"\0" * 64), False,
         "Scanout of a giant size (100000x100000)")
    call(conn, "Scanout", "(uuuuay)", (16384, 16384, 65536, XRGB, b"\0" * 64), False,
         "Scanout 16384x16384 with 64 data bytes")
    call(conn, "Scanout", "(uuuuay)", (W, H, W * 4 - 4, XRGB, pixels(W, H, red)), False,
         "Scanout with stride < width x 4")
    call(conn, "Scanout", "(uuuuay)", (W, H, W * 4, XRGB, pixels(W, H - 1, red)), False,
         "Scanout with data shorter than stride x height")
    call(conn, "Scanout", "(uuuuay)", (W, H, W * 4, XRGB, pixels(W, H, blue)), True,
         "valid Scanout 64x48 blue")
    call(conn, "Update", "(iiiiuuay)", (60, 0, 8, 8, 32, XRGB, pixels(8, 8, red)), False,
         "Update with the rect partly outside the surface")
    call(conn, "Update", "(iiiiuuay)", (-4, 0, 8, 8, 32, XRGB, pixels(8, 8, red)), False,
         "Update at a negative x")
    call(conn, "Update", "(iiiiuuay)", (2147483640, 0, 16, 1, 64, XRGB, pixels(16, 1, red)),
         False, "Update whose x + width overflows int32")
    call(conn, "Update", "(iiiiuuay)", (0, 0, 0, 8, 0, XRGB, b""), False,
         "Update of an empty rect")
    call(conn, "Update", "(iiiiuuay)", (0, 0, 8, 8, 16, XRGB, pixels(8, 8, red)), False,
         "Update with stride < width x 4")
    call(conn, "Update", "(iiiiuuay)", (0, 0, 8, 8, 32, XRGB, pixels(8, 7, red)), False,
         "Update with data shorter than stride x height")
    call(conn, "Update", "(iiiiuuay)", (0, 0, 8, 8, 32, 0x12345678, pixels(8, 8, red)), False,
         "Update with an unknown pixman format")
    call(conn, "Update", "(iiiiuuay)", (0, 0, 8, 8, 24, 0x18020888, b"\0" * 192), False,
         "Update of a part of the surface in another format")
    call(conn, "ScanoutDMABUF", "(huuuutb)", (0, W, H, W * 4, 0x34325258, 0, True), False,
         "ScanoutDMABUF 64x48 on a 4096-byte buffer", fds=memfd_list(4096))
    call(conn, "ScanoutDMABUF", "(huuuutb)", (0, W, H, W * 4, 0x11111111, 0, True), False,
         "ScanoutDMABUF with an unknown fourcc", fds=memfd_list(W * H * 4))
    call(conn, "ScanoutDMABUF", "(huuuutb)", (0, W, H, 8, 0x34325258, 0, True), False,
         "ScanoutDMABUF with stride < width x 4", fds=memfd_list(W * H * 4))
    call(conn, "ScanoutDMABUF", "(huuuutb)", (0, 0, 0, 0, 0x34325258, 0, True), False,
         "ScanoutDMABUF of zero size", fds=memfd_list(4096))
    call(conn, "ScanoutDMABUF", "(huuuutb)", (5, W, H, W * 4, 0x34325258, 0, True), False,
         "ScanoutDMABUF naming an fd that was not passed", fds=memfd_list(4096))
    call(conn, "UpdateDMABUF", "(iiii)", (0, 0, 8, 8), False, "UpdateDMABUF without a dma-buf")
    call(conn, "CursorDefine", "(iiiiay)", (100000, 1, 0, 0, b"\0" * 16), False,
         "CursorDefine 100000x1")
    call(conn, "CursorDefine", "(iiiiay)", (32, 32, 0, 0, b"\0" * 16), False,
         "CursorDefine with short data")
    call(conn, "CursorDefine", "(iiiiay)", (-1, -1, 0, 0, b""), False,
         "CursorDefine with a negative size")
    call(conn, "Scanout", "(s)", ("garbage",), False, "Scanout with a wrong signature")
    call(conn, "NoSuchMethod", None, None, False, "an unknown method")
    # After all that, the viewer must still take a valid picture.
    call(conn, "Update", "(iiiiuuay)", (0, 0, W, H, W * 2, 0x10020565, b"\x00\xf8" * (W * H)),
         True, "valid whole-console Update in r5g6b5 (a format change without Scanout)")
    call(conn, "Scanout", "(uuuuay)", (W, H, W * 4, XRGB, pixels(W, H, blue)), True,
         "valid Scanout 64x48 blue, back to x8r8g8b8")
    call(conn, "CursorDefine", "(iiiiay)", (2, 2, 1, 1, b"\xff" * 16), True,
         "valid CursorDefine 2x2")
    call(conn, "MouseSet", "(iii)", (10, 10, 1), True, "valid MouseSet")
    call(conn, "Update", "(iiiiuuay)", (8, 8, 8, 8, 32, XRGB, pixels(8, 8, green)), True,
         "valid Update 8,8 8x8 green")
    # A valid dma-buf scanout (a memfd stands in for the dma-buf: same fd passing, same size
    # check): the viewer shows the peer's memory itself, so a change written there and
    # announced with UpdateDMABUF is what the viewer's final picture shows – without a copy.
    yellow, magenta = (255, 255, 0), (255, 0, 255)
    fd = os.memfd_create("fake-dmabuf", os.MFD_CLOEXEC)
    os.pwrite(fd, pixels(W, H, yellow), 0)
    fds = Gio.UnixFDList.new()
    fds.append(fd)
    call(conn, "ScanoutDMABUF", "(huuuutb)", (0, W, H, W * 4, 0x34325258, 0, True), True,
         "valid ScanoutDMABUF 64x48 XR24 (yellow)", fds=fds)
    for y in range(16, 24):
        os.pwrite(fd, pixels(8, 1, magenta), y * W * 4 + 16 * 4)
    call(conn, "UpdateDMABUF", "(iiii)", (16, 16, 8, 8), True, "valid UpdateDMABUF 16,16 8x8")
    call(conn, "UpdateDMABUF", "(iiii)", (60, 40, 8, 8), False, "UpdateDMABUF outside")
    call(conn, "UpdateDMABUF", "(iiii)", (-1, 0, 8, 8), False, "UpdateDMABUF at negative x")
    call(conn, "Disable", None, None, True, "Disable (QEMU: release of the previous dma-buf)")
    results["dmabuf_fd"] = fd
    print(json.dumps(map_attack(conn)), flush=True)
    print("verdict", "ok" if results["ok"] else "FAILED", flush=True)
    # Stay on the bus (the test ends us): leaving would be "QEMU went away" for the viewer.


def shrink_attack(conn):
    """ScanoutMap, then the peer shrinks the memfd it handed over."""
    size = 4096 + W * H * 4
    fd = os.memfd_create("fake-qemu-surface", os.MFD_CLOEXEC)
    os.ftruncate(fd, size)
    os.pwrite(fd, pixels(W, H, (0, 255, 255)), 4096)
    fds = Gio.UnixFDList.new()
    fds.append(fd)
    check_interfaces(conn)
    call(conn, "ScanoutMap", "(huuuuu)", (0, 4096, W, H, W * 4, XRGB), True,
         "valid ScanoutMap 64x48 at offset 4096", fds=fds, iface=MAP)
    call(conn, "UpdateMap", "(iiii)", (0, 0, W, H), True, "UpdateMap of the whole surface",
         iface=MAP)
    os.ftruncate(fd, 4096)
    print("shrunk", flush=True)
    # The viewer may end the source (and close this connection) at any time from here on:
    # the answer does not matter, only that the viewer does not die of SIGBUS.
    try:
        conn.call_sync(None, "/org/qemu/Display1/Listener", MAP, "UpdateMap",
                       GLib.Variant("(iiii)", (0, 0, W, H)), None, Gio.DBusCallFlags.NONE,
                       5000, None)
        print("UpdateMap after the shrink: accepted", flush=True)
    except GLib.Error as e:
        print("UpdateMap after the shrink:", e.message, flush=True)
    results["map_fd"] = fd
    print("verdict", "ok" if results["ok"] else "FAILED", flush=True)


FLOOD = 10000


def flood_attack(conn):
    """Updates at 10 kHz: the viewer must keep up or drop frames (latest wins)."""
    call(conn, "Scanout", "(uuuuay)", (W, H, W * 4, XRGB, pixels(W, H, (0, 0, 255))), True,
         "valid Scanout 64x48 blue")
    print("flooding", flush=True)
    state = {"sent": 0, "answered": 0, "accepted": 0}
    start = GLib.get_monotonic_time()

    def answered(c, res):
        state["answered"] += 1
        try:
            c.call_finish(res)
            state["accepted"] += 1
        except GLib.Error as e:
            if state["answered"] - state["accepted"] == 1:
                print("NOT OK an Update was refused:", e.message, flush=True)
        if state["answered"] == FLOOD:
            seconds = (GLib.get_monotonic_time() - start) / 1e6
            good = state["accepted"] == FLOOD
            results["ok"] = results["ok"] and good
            print(json.dumps({"sent": FLOOD, "accepted": state["accepted"],
                              "seconds": round(seconds, 3),
                              "rate_hz": round(FLOOD / seconds)}), flush=True)
            print("verdict", "ok" if results["ok"] else "FAILED", flush=True)

    # Made once: building GVariants in Python costs more than the viewer spends on one.
    tiles = [(x, y) for y in range(0, H, 8) for x in range(0, W, 8)]
    params = [GLib.Variant("(iiiiuuay)", (x, y, 8, 8, 32, XRGB,
                                          pixels(8, 8, (i * 5 % 256, 255 - i * 5 % 256, 0))))
              for i, (x, y) in enumerate(tiles)]

    def send_step():
        # 10 kHz: 100 Updates per 10 ms step (GLib timers are not finer than that).
        elapsed_us = GLib.get_monotonic_time() - start
        due = min(FLOOD, int(elapsed_us / 100) + 100)
        while state["sent"] < due:
            conn.call(None, "/org/qemu/Display1/Listener", LISTENER, "Update",
                      params[state["sent"] % len(params)], None, Gio.DBusCallFlags.NONE, 60000,
                      None, answered)
            state["sent"] += 1
        return state["sent"] < FLOOD

    GLib.timeout_add(10, send_step)


def on_listener_conn(source, res):
    try:
        conn = Gio.DBusConnection.new_finish(res)
    except GLib.Error as e:
        print("NOT OK listener connection:", e.message, flush=True)
        results["ok"] = False
        loop.quit()
        return
    results["listener"] = conn
    mode = sys.argv[2] if len(sys.argv) > 2 else "attack"
    run = {"shrink": shrink_attack, "flood": flood_attack}.get(mode, attack)
    GLib.idle_add(lambda: run(conn) and False)


def accept_listener(inv, params, on_conn):
    """Answers RegisterListener: the viewer's end of a socket pair, on which it serves the
    listener; on_conn gets that peer-to-peer connection. Returns its stream."""
    fds = inv.get_message().get_unix_fd_list()
    sock = Gio.Socket.new_from_fd(fds.get(params.unpack()[0]))
    stream = sock.connection_factory_create_connection()
    Gio.DBusConnection.new(stream, Gio.dbus_generate_guid(),
                           Gio.DBusConnectionFlags.AUTHENTICATION_SERVER, None, None, on_conn)
    inv.return_value(None)
    return stream


def serve(address, nodeinfo, on_method):
    """Owns org.qemu on the bus at address with the VM and Console_0 objects of nodeinfo
    (interfaces VM, Console, Keyboard/Mouse in that order), calls going to on_method."""
    bus = Gio.DBusConnection.new_for_address_sync(
        address, Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT |
        Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION, None, None)
    for path, iface in (("/org/qemu/Display1/VM", 0), ("/org/qemu/Display1/Console_0", 1),
                        ("/org/qemu/Display1/Console_0", 2)):
        bus.register_object(path, nodeinfo.interfaces[iface], on_method, prop, None)
    Gio.bus_own_name_on_connection(bus, "org.qemu", Gio.BusNameOwnerFlags.NONE, None, None)
    return bus


def method(conn, sender, path, iface, name, params, inv):
    if name != "RegisterListener":
        inv.return_dbus_error("org.qemu.Display1.Error.Failed", "not here")
        return
    results["stream"] = accept_listener(inv, params, on_listener_conn)


def run_bounded(seconds=120):
    """Runs a peer's own main loop until it quits or seconds pass (then "NOT OK: timed out")."""
    own = GLib.MainLoop()
    GLib.timeout_add_seconds(seconds, lambda: (print("NOT OK: timed out"), own.quit()))
    own.run()


def main():
    bus = serve(sys.argv[1], node, method)  # noqa: F841 (kept alive while the loop runs)
    GLib.timeout_add_seconds(120, lambda: (print("NOT OK: timed out"),
                                           results.update(ok=False), loop.quit()))
    loop.run()
    return 0 if results["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
