#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""--output wayland on the test compositor (tests/wayland: libwayland-server, started and
killed by the test), which reads every buffer committed to it and records each commit.

usage: testcomp_e2e.py shm UDMAVIEW COMPOSITOR OUTDIR
       testcomp_e2e.py qemu UDMAVIEW COMPOSITOR INPUT_PEER OUTDIR
       testcomp_e2e.py check-vm UDMAVIEW OUTDIR

shm: on the host the demo's memfds are no dma-bufs, so they go as wl_shm pools of the memfd
whether the compositor offers linux-dmabuf (XRGB8888) or not (RGB565), 0 bytes copied; a
format its wl_shm lacks (RGB888) is converted. The buffer the compositor read equals the CPU
dump exactly; the damage it got is the whole picture once, then what udmaview counted.
qemu: the compositor's scripted keys and pointer reach a QEMU D-Bus stand-in (input_peer.py)
as Keyboard.Press/Release with the PC scancodes (qnum) and Mouse.SetAbsPosition at the guest
pixel the placement gives, buttons and wheel steps; the guest's pointer image (CursorDefine)
becomes the Wayland cursor (wl_pointer.set_cursor with its hot spot, the image premultiplied);
a buffer the compositor holds when the guest changes size is destroyed only after its
release. Then a bottom-up ScanoutDMABUF (a memfd standing in for the dma-buf) goes as a
linux-dmabuf buffer flagged Y_INVERT, shown the right way up, with DRM_FORMAT_MOD_INVALID
where the compositor lists only that.
check-vm: the host side of the VM case wayland-dmabuf (tests/vm/cases/wayland-dmabuf.sh):
the demo's udmabufs as zwp_linux_dmabuf_v1 buffers (v4 feedback and v3 modifier events),
and the fallback to wl_shm with its line
when the compositor does not list the format."""
import json
import os
import shutil
import signal
import struct
import sys
import time
from pathlib import Path

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "lib"))

from udmaview_test import procs, tap, testcomp  # noqa: E402
from udmaview_test.tap import Failed, Skipped, check, log  # noqa: E402

W, H = 320, 240
WINDOW = "640x480"
# The VM case (tests/vm/cases/wayland-dmabuf.sh) runs the demo with these options too.
DEMO = ["--source", "demo", "--pattern", "all", "--seed", "7", "--frames", "30", "--fps", "60",
        "--size", f"{W}x{H}"]


def on_compositor(udmaview, tc, outdir, name, args, comp_args=()):
    d = Path(outdir) / name
    with testcomp.Compositor(tc, d, "--size", WINDOW, *comp_args) as comp:
        status, _, err = procs.run(name, [udmaview, "--output", "wayland", "--timing",
                                          d / "timing.json"] + args, 60, out_dir=d,
                                   env=comp.env)
        check(status == 0, f"{name}: udmaview exited 0 ({status}: {err.strip()[-400:]})")
        comp.wait_end()
    return d, err


def shm(udmaview, tc, outdir):
    for fmt, comp_args, path in (("XRGB8888", (), "wl-shm"),
                                 ("RGB565", ("--no-dmabuf",), "wl-shm"),
                                 ("RGB888", (), "wl-shm-convert")):
        args = DEMO + ["--format", fmt]
        ref = procs.cpu_dump(udmaview, outdir, fmt, args)
        d, err = on_compositor(udmaview, tc, outdir, fmt, args, comp_args)
        kind_line = ("as a wl_shm pool of its memfd, not as a dma-buf (it has no dma-buf"
                     if path == "wl-shm" else "converting the changed rectangles")
        check(kind_line in err, f"{fmt}: one line names the way and why ({kind_line!r})")
        testcomp.check_run(fmt, d, d / "timing.json", ref, "shm", path, W, H)
    log("test compositor: wl_shm from the memfd, converted RGB888, exact pixels and damage")


def start_bus(outdir):
    daemon = shutil.which("dbus-daemon")
    if not daemon:
        raise Skipped("dbus-daemon missing")
    sock = Path(outdir) / "bus"
    p = procs.start("dbus", [daemon, "--session", "--nofork", "--nopidfile",
                             "--print-address=1", f"--address=unix:path={sock}"],
                    stdout=Path(outdir) / "dbus.out", stderr=Path(outdir) / "dbus.err")
    procs.wait_until("the dbus-daemon address",
                     lambda: procs.read_text(Path(outdir) / "dbus.out").strip(), 10, proc=p)
    return p, f"unix:path={sock}"


# Evdev codes sent by the compositor and the PC scancodes (QEMU qnum) the guest must get.
KEYS = {30: 0x1e, 97: 0x9d, 103: 0xc8}  # A, right Ctrl, Up (the last two: 0xe0 prefixed)
ENTER, MOTION = (105, 47), (333, 251)
BTN_LEFT, BTN_RIGHT = 272, 273


def input_case(udmaview, tc, peer_py, outdir):
    os.makedirs(outdir, exist_ok=True)
    bus_proc, bus = start_bus(outdir)
    d = Path(outdir) / "input"
    d.mkdir(exist_ok=True)
    script = d / "script"
    steps = [f"key {k}" for k in KEYS] + [f"enter {ENTER[0]} {ENTER[1]}",
                                          f"motion {MOTION[0]} {MOTION[1]}",
                                          f"button {BTN_LEFT}", f"button {BTN_RIGHT}",
                                          "wheel 2", "wheel -1"]
    script.write_text("\n".join(steps) + "\n")
    peer_out = d / "peer.out"
    with procs.Process("input-peer", [sys.executable, peer_py, bus], stdout=peer_out,
                       stderr=d / "peer.err",
                       env=dict(os.environ, PYTHONPATH=str(Path(peer_py).parent))) as peer, \
            testcomp.Compositor(tc, d, "--size", "500x300", "--script", script) as comp:
        procs.wait_until("the peer owns org.qemu", lambda: "owned" in
                         procs.read_text(peer_out), 20, proc=peer)
        with procs.Process("udmaview", [udmaview, "--source", f"qemu:{bus}", "--output",
                                        "wayland", "--timing", d / "timing.json"],
                           stdout=d / "udmaview.out",
                           stderr=d / "udmaview.err", env=comp.env) as viewer:
            want = 2 * len(KEYS) + 2 + 4 + 2 * 3
            procs.wait_until("the peer got every input call", lambda: len(calls(peer_out)) >=
                             want or not viewer.running(), 20)
            procs.wait_until("the 32x24 picture after the peer's second Scanout",
                             lambda: '"width":32,' in procs.read_text(d / "events.jsonl") or
                             not viewer.running(), 20)
            time.sleep(0.3)  # nothing more may come
            viewer.send_signal(signal.SIGTERM)
            status = viewer.wait(10)
        comp.wait_end()
        peer.kill()
    check(status == 0, f"input: SIGTERM ends udmaview with 0 ({status})")
    got = calls(peer_out)
    ev = testcomp.events(d)
    pic = [e for e in ev if e.get("picture") and e.get("attached")][0]
    bw, bh = pic["buffer"]["width"], pic["buffer"]["height"]
    dw, dh = pic["dst"]
    # 64x48 fit into 500x300: 6.25x, 400x300 centred.
    check(pic["dst"] == [400, 300] and pic["position"] == [50, 0],
          f"input: the picture placed by the fit rule ({pic['dst']} at {pic['position']})")

    def guest(p):  # surface-local picture coordinates -> guest pixels, as the placement maps
        return [p[0] * bw // dw, p[1] * bh // dh]
    keys = [c for c in got if c["call"].startswith("Keyboard")]
    check(keys == [{"call": f"Keyboard.{a}", "args": [q]} for q in KEYS.values()
                   for a in ("Press", "Release")],
          f"input: keys reach QEMU as Press/Release of their PC scancodes "
          f"({[hex(k['args'][0]) for k in keys]})")
    moves = [c["args"] for c in got if c["call"] == "Mouse.SetAbsPosition"]
    check(moves == [guest(ENTER), guest(MOTION)], f"input: the pointer reaches QEMU at the "
          f"guest pixel of the placement ({moves}; picture {bw}x{bh} shown {dw}x{dh}, expected "
          f"{[guest(ENTER), guest(MOTION)]})")
    buttons = [[c["call"], c["args"][0]] for c in got if c["call"] in ("Mouse.Press",
                                                                         "Mouse.Release")]
    # QEMU's buttons: 0 left, 2 right, 3 wheel up, 4 wheel down; "wheel 2" is two notches down.
    want_buttons = [["Mouse.Press", 0], ["Mouse.Release", 0], ["Mouse.Press", 2],
                    ["Mouse.Release", 2]] + [["Mouse.Press", 4], ["Mouse.Release", 4]] * 2 + \
        [["Mouse.Press", 3], ["Mouse.Release", 3]]
    check(buttons == want_buttons, f"input: buttons and wheel steps reach QEMU ({buttons})")
    log(f"input: {len(got)} calls at the QEMU stand-in: {got}")
    check_cursor(d, ev)
    # The 64x48 buffer was retired while the compositor showed it: destroyed only after the
    # compositor released it (on the 32x24 commit).
    end = ev[-1]
    sizes = [e["buffer"]["width"] for e in ev if e.get("picture") and e.get("attached")]
    check(sizes and sizes[0] == 64 and sizes[-1] == 32 and end.get("releases", 0) >= 1 and
          end.get("held_destroyed") == 0, f"release: the buffer the compositor showed was "
          f"destroyed only after its release (picture widths {sorted(set(sizes))}, "
          f"{end.get('releases')} releases, {end.get('held_destroyed')} destroyed while held)")
    bottom_up(udmaview, tc, peer_py, outdir, bus)
    bus_proc.kill()


def check_cursor(d, ev):
    """The guest's pointer image is the Wayland cursor: set on the pointer's enter with the
    guest's hot spot, its surface's buffer the image premultiplied (wl_shm's ARGB8888)."""
    sets = [e["set_cursor"] for e in ev if "set_cursor" in e]
    shown = sets[-1]["surface"] if sets else None
    cursor_commits = [e for e in ev if e.get("attached") and e["surface"] == shown]
    check(shown is not None and sets[-1]["hot"] == [3, 5] and cursor_commits and
          not any(e.get("picture") for e in cursor_commits),
          f"cursor: wl_pointer.set_cursor with the guest's hot spot 3,5 on a surface of its own "
          f"({sets}; {len(cursor_commits)} commits of it)")
    desc = json.loads((d / "cursor.json").read_text())
    data = (d / "cursor.raw").read_bytes()
    check(desc["kind"] == "shm" and desc["format"] == "AR24" and
          (desc["width"], desc["height"]) == (16, 16), f"cursor: a 16x16 ARGB8888 wl_shm "
          f"buffer ({desc})")
    # 0x80ff4000 premultiplied: alpha 128, red 255 -> 128, green 64 -> 32; then opaque blue.
    want_row = struct.pack("<8I", *[0x80802000] * 8) + struct.pack("<8I", *[0xff0000ff] * 8)
    rows = [data[y * desc["stride"]:y * desc["stride"] + 64] for y in range(16)]
    check(all(r == want_row for r in rows), f"cursor: the buffer holds the guest's image, "
          f"premultiplied (row 0: {rows[0][:8].hex()}…{rows[0][-4:].hex()}, want "
          f"{want_row[:8].hex()}…{want_row[-4:].hex()})")
    c = testcomp_counters(d)
    check(c.get("wl_cursor_images") == 1 and c.get("wl_cursor_sets", 0) >= 1,
          f"cursor: one image made, set on enter ({c.get('wl_cursor_images')} images, "
          f"{c.get('wl_cursor_sets')} sets)")


def testcomp_counters(d):
    from udmaview_test import timing
    return timing.load(d / "timing.json")["summary"].get("output_counters", {})


def bottom_up(udmaview, tc, peer_py, outdir, bus):
    d = Path(outdir) / "bottom-up"
    d.mkdir(exist_ok=True)
    peer_out = d / "peer.out"
    with procs.Process("bottom-up-peer", [sys.executable, peer_py, bus, "bottom-up"],
                       stdout=peer_out, stderr=d / "peer.err",
                       env=dict(os.environ, PYTHONPATH=str(Path(peer_py).parent))) as peer, \
            testcomp.Compositor(tc, d, "--size", "128x96", "--dmabuf-modifier",
                                "invalid") as comp:
        procs.wait_until("the peer owns org.qemu", lambda: "owned" in
                         procs.read_text(peer_out), 20, proc=peer)
        with procs.Process("udmaview-bottom-up", [udmaview, "--source", f"qemu:{bus}",
                                                  "--output", "wayland", "--timing",
                                                  d / "timing.json"],
                           stdout=d / "udmaview.out", stderr=d / "udmaview.err",
                           env=comp.env) as viewer:
            procs.wait_until("the bottom-up picture committed",
                             lambda: '"y_invert"' in procs.read_text(d / "events.jsonl") or
                             not viewer.running(), 20)
            time.sleep(0.3)
            viewer.send_signal(signal.SIGTERM)
            status = viewer.wait(10)
        comp.wait_end()
        peer.kill()
    err = procs.read_text(d / "udmaview.err")
    check(status == 0 and "ok ScanoutDMABUF 64x48 bottom-up" in procs.read_text(peer_out),
          f"bottom-up: the viewer took the ScanoutDMABUF and ended with 0 ({status}: "
          f"{err[-300:]})")
    # The compositor lists DRM_FORMAT_MOD_INVALID only: the linear buffer goes with it.
    check("as its dma-buf (zwp_linux_dmabuf_v1 v4, modifier invalid: the driver's implicit "
          "layout, bottom-up: Y_INVERT)" in err,
          "bottom-up: one line says it goes as a dma-buf with the listed modifier INVALID, "
          "flagged Y_INVERT")
    commits = [e for e in testcomp.events(d) if e.get("picture") and e.get("attached")]
    check(commits and all(e["buffer"]["kind"] == "dmabuf" and e["buffer"]["y_invert"] and
                          e["buffer"]["modifier"] == 0x00ffffffffffffff for e in commits),
          f"bottom-up: the compositor got a dma-buf flagged Y_INVERT, modifier INVALID "
          f"({[e['buffer'] for e in commits]})")
    img = testcomp.picture(d)
    top, bottom = img.getpixel((10, 5)), img.getpixel((10, 40))
    check(top == (255, 0, 0) and bottom == (0, 0, 255), f"bottom-up: shown the right way up "
          f"(top {top}, bottom {bottom}; want red over blue)")
    report = testcomp_report(d)
    shown = [f for f in report["frames"] if not f["dropped"]]
    check(shown and {f["path"] for f in shown} == {"wl-dmabuf"} and
          report["summary"]["bytes_copied_total"] == 0,
          f"bottom-up: path wl-dmabuf, 0 bytes copied ({sorted({f['path'] for f in shown})}, "
          f"{report['summary']['bytes_copied_total']} bytes)")


def testcomp_report(d):
    from udmaview_test import timing
    return timing.load(d / "timing.json")


def calls(path):
    out = []
    for line in procs.read_text(path).splitlines():
        if line.startswith('{"call"'):
            out.append(json.loads(line))
    return out


def check_vm(udmaview, outdir):
    for name, fmt, kind, path in (("dmabuf-XRGB8888", "XRGB8888", "dmabuf", "wl-dmabuf"),
                                  ("dmabuf-v3", "XRGB8888", "dmabuf", "wl-dmabuf"),
                                  ("dmabuf-RGB565", "RGB565", "dmabuf", "wl-dmabuf"),
                                  ("unlisted", "XRGB8888", "shm", "wl-shm")):
        d = Path(outdir) / name
        # The same frames on the host's CPU (wayland-dmabuf.sh's demo options).
        ref = procs.cpu_dump(udmaview, d, "host", DEMO + ["--format", fmt])
        rc = procs.read_text(d / "udmaview.rc").strip()
        check(rc == "0", f"{name}: udmaview exited 0 in the VM ({rc}; "
              f"{procs.read_text(d / 'udmaview.log')[-400:]})")
        err = procs.read_text(d / "udmaview.log")
        version = 3 if name == "dmabuf-v3" else 4
        line = (f"goes to the compositor as its dma-buf (zwp_linux_dmabuf_v1 v{version}, "
                "modifier linear)" if kind == "dmabuf" else
                "not as a dma-buf (the compositor's zwp_linux_dmabuf_v1 v4 lists no XRGB8888 "
                "with a linear modifier")
        check(line in err, f"{name}: one line names the way and why ({line!r})")
        testcomp.check_run(name, d, d / "timing.json", ref, kind, path, W, H)
    log("VM: udmabufs through zwp_linux_dmabuf_v1 v4, mmap()ed by the test compositor: "
        "exact pixels, linear, one wl_buffer each; an unlisted format falls back to wl_shm")


def main():
    mode = sys.argv[1] if len(sys.argv) > 1 else ""
    argc = {"shm": 5, "qemu": 6, "check-vm": 4}.get(mode)
    if argc is None or len(sys.argv) != argc:
        print(__doc__, file=sys.stderr)
        return 2
    tap.set_name(f"wayland-testcomp-{mode}")
    procs.install_signal_handlers()
    if mode == "check-vm":
        return tap.main(check_vm, os.path.abspath(sys.argv[2]), sys.argv[3])
    udmaview, tc = os.path.abspath(sys.argv[2]), os.path.abspath(sys.argv[3])
    outdir = sys.argv[-1]
    os.makedirs(outdir, exist_ok=True)
    if mode == "shm":
        return tap.main(shm, udmaview, tc, outdir)
    return tap.main(input_case, udmaview, tc, os.path.abspath(sys.argv[4]), outdir)


if __name__ == "__main__":
    sys.exit(main())
