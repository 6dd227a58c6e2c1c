#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""End-to-end tests of udmaview's QEMU source against a real qemu-system-x86_64 (7.2).

Every test owns what it starts (dbus-daemon, QEMU, udmaview, qemu-driver, the fake peer):
each process is bounded by a timeout and killed by its PID on every path.
Usage: qemu_e2e.py TEST --udmaview PATH --driver PATH --fake-peer PATH
"""
import argparse
import json
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import zlib

QEMU = shutil.which("qemu-system-x86_64") or "/usr/bin/qemu-system-x86_64"
DBUS_DAEMON = shutil.which("dbus-daemon") or "/usr/bin/dbus-daemon"
KEY_ESC = 1
BTN_LEFT = 0x110


class Skip(Exception):
    pass


class Failed(Exception):
    pass


def log(*a):
    print("#", *a, flush=True)


# --- processes ------------------------------------------------------------------------------
class Procs:
    """Owns every child process; stop() kills each by PID (TERM, then KILL)."""

    def __init__(self, tmp):
        self.tmp = tmp
        self.procs = []

    def start(self, name, argv, stdin=None, env=None):
        out = open(os.path.join(self.tmp, name + ".out"), "wb")
        err = open(os.path.join(self.tmp, name + ".err"), "wb")
        p = subprocess.Popen(argv, stdin=stdin, stdout=out, stderr=err, env=env,
                             start_new_session=True)
        p.name = name
        self.procs.append(p)
        log(f"started {name} pid {p.pid}: {' '.join(argv)}")
        return p

    def out(self, name):
        with open(os.path.join(self.tmp, name + ".out"), "rb") as f:
            return f.read().decode(errors="replace")

    def err(self, name):
        with open(os.path.join(self.tmp, name + ".err"), "rb") as f:
            return f.read().decode(errors="replace")

    def kill(self, p, sig=signal.SIGTERM, wait=5):
        if p.poll() is None:
            try:
                os.kill(p.pid, sig)
            except ProcessLookupError:
                pass
            try:
                p.wait(wait)
            except subprocess.TimeoutExpired:
                os.kill(p.pid, signal.SIGKILL)
                p.wait(5)
        if p.stdin:
            try:
                p.stdin.close()
            except OSError:
                pass

    def stop(self):
        for p in reversed(self.procs):
            self.kill(p)


def wait_for(what, cond, timeout, step=0.2):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        v = cond()
        if v:
            return v
        time.sleep(step)
    raise Failed(f"timed out after {timeout} s waiting for {what}")


def wait_exit(p, timeout):
    try:
        return p.wait(timeout)
    except subprocess.TimeoutExpired:
        raise Failed(f"{p.name} did not exit within {timeout} s")


# --- QMP ------------------------------------------------------------------------------------
class Qmp:
    def __init__(self, path, timeout=10):
        self.sock = wait_for(f"QMP socket {path}", lambda: self._connect(path), timeout)
        self.sock.settimeout(30)
        self.buf = b""
        self._line()  # greeting
        self.cmd("qmp_capabilities")

    @staticmethod
    def _connect(path):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            s.connect(path)
            return s
        except OSError:
            s.close()
            return None

    def _line(self):
        while b"\n" not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise Failed("QMP connection closed")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return json.loads(line)

    def cmd(self, name, **args):
        msg = {"execute": name}
        if args:
            msg["arguments"] = args
        self.sock.sendall(json.dumps(msg).encode() + b"\n")
        while True:
            r = self._line()
            if "event" in r:
                continue
            if "error" in r:
                raise Failed(f"QMP {name}: {r['error']}")
            return r["return"]

    def hmp(self, line):
        return self.cmd("human-monitor-command", **{"command-line": line})

    def vga_text(self):
        """The 80x25 VGA text screen, read from guest memory (0xb8000)."""
        out = self.hmp("xp /4000bx 0xb8000")
        data = []
        for row in out.splitlines():
            if ":" in row:
                data += [int(t, 16) for t in row.split(":", 1)[1].split()]
        chars = bytes(data[0::2])
        return "\n".join(chars[i:i + 80].decode("latin-1") for i in range(0, 2000, 80))

    def close(self):
        self.sock.close()


# --- pictures -------------------------------------------------------------------------------
def read_ppm(path):
    with open(path, "rb") as f:
        data = f.read()
    m = re.match(rb"P6\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
    if not m:
        raise Failed(f"{path}: not a binary PPM")
    w, h = int(m.group(1)), int(m.group(2))
    return w, h, data[m.end():m.end() + w * h * 3]


def read_png_rgb(path):
    """Minimal PNG reader (8-bit RGB/RGBA, not interlaced) → (w, h, RGB bytes)."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise Failed(f"{path}: not a PNG")
    pos, idat, w = 8, b"", 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if depth != 8 or ctype not in (2, 6) or interlace:
                raise Failed(f"{path}: unsupported PNG type {depth}/{ctype}/{interlace}")
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw = zlib.decompress(idat)
    stride = w * bpp
    out = bytearray()
    prev = bytearray(stride)
    i = 0
    for _ in range(h):
        ftype = raw[i]
        line = bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if ftype == 1:
                line[x] = (line[x] + a) & 255
            elif ftype == 2:
                line[x] = (line[x] + b) & 255
            elif ftype == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif ftype == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[x] = (line[x] + pred) & 255
        prev = line
        if bpp == 3:
            out += line
        else:
            for x in range(w):
                out += line[x * 4:x * 4 + 3]
    return w, h, bytes(out)


def compare(png, ppm):
    pw, ph, p = read_png_rgb(png)
    qw, qh, q = read_ppm(ppm)
    if (pw, ph) != (qw, qh):
        raise Failed(f"{png} is {pw}x{ph} but the screendump is {qw}x{qh}")
    diff = sum(1 for i in range(0, len(p), 3) if p[i:i + 3] != q[i:i + 3])
    log(f"{os.path.basename(png)} vs screendump {qw}x{qh}: {diff} differing pixels")
    if diff:
        raise Failed(f"{png}: {diff} pixels differ from QMP screendump")


# --- set-ups --------------------------------------------------------------------------------
class Env:
    def __init__(self, args, tmp):
        self.args = args
        self.tmp = tmp
        self.procs = Procs(tmp)
        self.bus = None
        self.qmp = None
        self.qemu_count = 0

    def start_bus(self):
        p = self.procs.start("dbus", [DBUS_DAEMON, "--session", "--nofork", "--nopidfile",
                                      "--print-address=1",
                                      f"--address=unix:path={self.tmp}/bus"],)
        wait_for("the dbus-daemon address", lambda: self.procs.out("dbus").strip(), 10)
        # Without the ",guid=…" part: QEMU's option parser would split at its comma.
        self.bus = f"unix:path={self.tmp}/bus"
        log(f"private bus {self.bus} (pid {p.pid})")
        return self.bus

    def start_qemu(self, p2p=False, extra=()):
        self.qemu_count += 1
        n = self.qemu_count
        display = "dbus,p2p=yes" if p2p else f"dbus,addr={self.bus}"
        argv = [QEMU, "-accel", "tcg", "-m", "64", "-nodefaults", "-vga", "std",
                "-display", display, "-no-reboot", "-name", f"udmaview-e2e-{n}",
                "-qmp", f"unix:{self.tmp}/qmp-test-{n},server=on,wait=off"]
        if p2p:
            argv += ["-qmp", f"unix:{self.tmp}/qmp-viewer,server=on,wait=off"]
        argv += list(extra)
        q = self.procs.start(f"qemu-{n}", argv)
        if self.qmp:
            self.qmp.close()
        wait_for("QEMU's QMP socket", lambda: os.path.exists(f"{self.tmp}/qmp-test-{n}") or
                 q.poll() is not None, 30)
        if q.poll() is not None:
            raise Failed(f"QEMU exited with {q.returncode}: {self.procs.err(q.name)}")
        self.qmp = Qmp(f"{self.tmp}/qmp-test-{n}")
        q.qmp = self.qmp
        return q

    def source(self, p2p):
        return f"qemu-p2p:{self.tmp}/qmp-viewer" if p2p else f"qemu:{self.bus}"

    def start_viewer(self, name, p2p, *extra):
        return self.procs.start(name, [self.args.udmaview, "--source", self.source(p2p),
                                       "--output", "headless",
                                       "--dump-png", f"{self.tmp}/{name}.png", *extra])

    def start_driver(self, name, p2p, *extra):
        return self.procs.start(name, [self.args.driver, "--source", self.source(p2p),
                                       "--dump-png", f"{self.tmp}/{name}.png", *extra],
                                stdin=subprocess.PIPE)

    def wait_text(self, text, timeout=60):
        return wait_for(f'"{text}" on the guest screen',
                        lambda: text in self.qmp.vga_text(), timeout, 0.3)

    def freeze_and_dump(self, name="screen"):
        """QMP stop, let the last updates arrive, screendump: the ground truth."""
        self.qmp.cmd("stop")
        time.sleep(1.5)
        path = f"{self.tmp}/{name}.ppm"
        self.qmp.cmd("screendump", filename=path)
        return path

    def end_viewer(self, p):
        self.procs.kill(p, signal.SIGTERM, 15)
        if p.returncode != 0:
            raise Failed(f"{p.name} exited with {p.returncode}: {self.procs.err(p.name)[-2000:]}")

    def end_driver(self, p):
        p.stdin.write(b"quit\n")
        p.stdin.flush()
        rc = wait_exit(p, 15)
        if rc != 0:
            raise Failed(f"{p.name} exited with {rc}: {self.procs.err(p.name)[-2000:]}")


def frames_of(text):
    frames = []
    for line in text.splitlines():
        if line.startswith("frame "):
            frames.append(dict(kv.split("=", 1) for kv in line.split()[1:]))
    return frames


def rect_of(text):
    x, y, w, h = map(int, text.split(","))
    return x, y, x + w, y + h


def check_outside(frames, name):
    """Changed pixels outside a frame's damage are allowed only where one of the next frames
    of the same buffer announces damage (the source already wrote that update while the
    driver read this frame); anything else is damage the viewer missed."""
    late = 0
    for i, f in enumerate(frames):
        if f["outside"] == "0":
            continue
        ox0, oy0, ox1, oy1 = rect_of(f["outside_box"])
        nxt = [r for g in frames[i + 1:i + 6] if g["buffer"] == f["buffer"]
               for r in g["damage"].split(";") if r]
        rows = sorted(rect_of(r) for r in nxt)
        covered = False
        if rows:
            x0 = min(r[0] for r in rows)
            x1 = max(r[2] for r in rows)
            y0 = min(r[1] for r in rows)
            y1 = max(r[3] for r in rows)
            covered = x0 <= ox0 and ox1 <= x1 and y0 <= oy0 and oy1 <= y1
        if not covered:
            raise Failed(f"{name}: frame {f['seq']} changed pixels outside its damage "
                         f"({f['outside_box']}) that no following frame announces: {f}")
        late += 1
    log(f"{name}: every changed pixel is inside its frame's damage"
        + (f" or, for {late} frame(s) read while the next update was written, inside the "
           "next frames' damage" if late else ""))


def check_damage(env, name):
    frames = frames_of(env.procs.out(name))
    if len(frames) < 3:
        raise Failed(f"{name}: only {len(frames)} frames")
    check_outside(frames, name)
    # SeaBIOS's steady screen: the text cursor (one 9x16 cell) blinks; each such frame must
    # be damaged exactly there, not full-screen.
    tail = frames[-10:]
    small = [f for f in tail if f["damage"] and all(
        int(r.split(",")[2]) * int(r.split(",")[3]) <= 9 * 16 for r in f["damage"].split(";"))]
    log(f"{name}: {len(frames)} frames; "
        f"last damages: {[f['damage'] for f in tail]}; changed boxes: "
        f"{[f['changed_box'] for f in tail]}")
    if len(small) < len(tail) // 2:
        raise Failed(f"{name}: steady-state damage is not the 9x16 cursor cell: "
                     f"{[f['damage'] for f in tail]}")
    # The changed pixels of those frames are inside one cell too.
    for f in small:
        x, y, w, h = map(int, f["changed_box"].split(","))
        if w > 9 or h > 16:
            raise Failed(f"{name}: frame {f['seq']} changed {f['changed_box']}")
    return frames


# --- tests ----------------------------------------------------------------------------------
def t_seabios(env, p2p):
    if not p2p:
        env.start_bus()
    env.start_qemu(p2p=p2p)
    viewer = env.start_viewer("udmaview", p2p)
    # QEMU 7.2 serves one peer-to-peer client at a time (a new add_client replaces the
    # previous connection), so the damage-checking driver runs on the bus only.
    driver = None if p2p else env.start_driver("driver", p2p)
    env.wait_text("No bootable device")
    time.sleep(2)
    ppm = env.freeze_and_dump()
    time.sleep(0.5)  # the screendump's own refresh reaches the listeners too
    env.end_viewer(viewer)
    compare(f"{env.tmp}/udmaview.png", ppm)
    if driver:
        env.end_driver(driver)
        compare(f"{env.tmp}/driver.png", ppm)
        check_damage(env, "driver")
    stats = [l for l in env.procs.err("udmaview").splitlines() if "bytes (" in l]
    log("udmaview: " + (stats[0] if stats else "no stats line"))


def t_input_key(env, p2p=False):
    env.start_bus()
    env.start_qemu(extra=["-boot", "menu=on,splash-time=30000"])
    driver = env.start_driver("driver", False)
    env.wait_text("Press ESC for boot menu")
    wait_for("the driver's first frame", lambda: frames_of(env.procs.out("driver")), 20)
    before = env.qmp.vga_text()
    if "Select boot device" in before:
        raise Failed("the boot menu is open before any key was sent")
    driver.stdin.write(f"key {KEY_ESC}\n".encode())
    driver.stdin.flush()
    env.wait_text("Select boot device", 15)
    log("Esc typed through the driver (Output -> Presenter -> QemuSource -> Keyboard.Press) "
        "opened SeaBIOS's boot menu")
    # Mouse: QEMU must accept the calls (SeaBIOS has no mouse driver to observe them).
    driver.stdin.write(f"rel 5 5\nbutton {BTN_LEFT} 1\nbutton {BTN_LEFT} 0\nwheel 1\n".encode())
    driver.stdin.flush()
    time.sleep(1)
    ppm = env.freeze_and_dump()
    time.sleep(0.5)
    env.end_driver(driver)
    compare(f"{env.tmp}/driver.png", ppm)
    err = env.procs.err("driver")
    if "failed" in err:
        raise Failed("an input call failed: " + err)
    stats = [l for l in env.procs.out("driver").splitlines() if l.startswith("stats")]
    log(stats[-1] if stats else "no stats")
    if not stats or "inputs=0 " in stats[-1]:
        raise Failed("no input calls were sent")


def t_qemu_killed(env, p2p=False):
    for p2p in (False, True):
        if not p2p:
            env.start_bus()
        q = env.start_qemu(p2p=p2p)
        name = "udmaview-p2p" if p2p else "udmaview-bus"
        viewer = env.start_viewer(name, p2p)
        env.wait_text("No bootable device")
        wait_for(f"{name} to attach", lambda: "attached" in env.procs.err(name), 20)
        time.sleep(1)
        t0 = time.monotonic()
        env.procs.kill(q, signal.SIGKILL)
        rc = wait_exit(viewer, 15)
        err = env.procs.err(name)
        log(f"{name} ended {time.monotonic() - t0:.2f} s after QEMU was killed, exit {rc}: "
            f"{[l for l in err.splitlines() if 'went away' in l]}")
        if rc != 0 or "QEMU went away" not in err:
            raise Failed(f"{name}: exit {rc}, stderr: {err[-2000:]}")
        if not os.path.exists(f"{env.tmp}/{name}.png"):
            raise Failed(f"{name}: no PNG of the last picture")


def t_viewer_first(env, p2p=False):
    for p2p in (False, True):
        if not p2p:
            env.start_bus()
        name = "udmaview-p2p" if p2p else "udmaview-bus"
        viewer = env.start_viewer(name, p2p)
        wait_for(f"{name}'s waiting line", lambda: "waiting for QEMU" in env.procs.err(name), 10)
        time.sleep(2)
        if viewer.poll() is not None:
            raise Failed(f"{name} ended while waiting: {env.procs.err(name)}")
        log(f"{name}: " + [l for l in env.procs.err(name).splitlines() if "waiting" in l][0])
        env.start_qemu(p2p=p2p)
        env.wait_text("No bootable device")
        wait_for(f"{name} to attach", lambda: "attached" in env.procs.err(name), 20)
        time.sleep(2)
        ppm = env.freeze_and_dump(name)
        time.sleep(0.5)
        env.end_viewer(viewer)
        compare(f"{env.tmp}/{name}.png", ppm)
        env.procs.kill(env.procs.procs[-1])  # this QEMU


def t_reconnect(env, p2p=False):
    for p2p in (False, True):
        if not p2p:
            env.start_bus()
        name = "udmaview-p2p" if p2p else "udmaview-bus"
        q1 = env.start_qemu(p2p=p2p)
        viewer = env.start_viewer(name, p2p, "--reconnect")
        env.wait_text("No bootable device")
        wait_for("the first attach", lambda: env.procs.err(name).count("attached") >= 1, 20)
        env.procs.kill(q1, signal.SIGKILL)
        wait_for("the reconnect waiting line",
                 lambda: "waiting for it to come back" in env.procs.err(name), 10)
        time.sleep(1)
        if viewer.poll() is not None:
            raise Failed(f"{name} --reconnect ended when QEMU went away")
        if p2p:  # QEMU does not remove a stale socket file itself
            os.unlink(f"{env.tmp}/qmp-viewer")
        q2 = env.start_qemu(p2p=p2p)
        env.wait_text("No bootable device")
        wait_for("the second attach", lambda: env.procs.err(name).count("attached") >= 2, 30)
        time.sleep(2)
        ppm = env.freeze_and_dump(name)
        time.sleep(0.5)
        env.end_viewer(viewer)
        compare(f"{env.tmp}/{name}.png", ppm)
        log(f"{name}: " + "; ".join(l for l in env.procs.err(name).splitlines()
                                    if "attached" in l or "went away" in l))
        env.procs.kill(q2)


def t_wrong_console(env, p2p=False):
    env.start_bus()
    env.start_qemu()
    viewer = env.start_viewer("udmaview", False, "--console", "5")
    rc = wait_exit(viewer, 20)
    err = env.procs.err("udmaview")
    log(f"exit {rc}: {err.strip()}")
    if rc == 0 or "no such console" not in err or 'console 0: Graphic "VGA"' not in err:
        raise Failed(f"expected an error listing the consoles, got exit {rc}: {err}")


def t_fake_peer(env, p2p=False):
    env.start_bus()
    viewer = env.start_viewer("udmaview", False)
    peer = env.procs.start("fake-peer", ["/usr/bin/python3", env.args.fake_peer, env.bus])
    # The peer stays on the bus after its last message (until killed), so the viewer has
    # no reason to end: it must still be running.
    wait_for("the fake peer's verdict", lambda: "verdict" in env.procs.out("fake-peer") or
             peer.poll() is not None, 90)
    out = env.procs.out("fake-peer")
    log("fake peer:\n" + out + env.procs.err("fake-peer")[-3000:])
    if "verdict ok" not in out:
        raise Failed("the fake peer's expectations failed")
    time.sleep(0.5)
    if viewer.poll() is not None:
        raise Failed(f"udmaview died: {viewer.returncode}: {env.procs.err('udmaview')[-3000:]}")
    rejected = env.procs.err("udmaview").count("qemu: rejected")
    log(f"udmaview logged {rejected} rejections and is still running")
    env.end_viewer(viewer)
    # The picture after the hostile messages: the peer's valid dma-buf as it left it.
    w, h, rgb = read_png_rgb(f"{env.tmp}/udmaview.png")
    expect = json.loads([l for l in out.splitlines() if l.startswith("{")][-1])
    if (w, h) != (expect["width"], expect["height"]):
        raise Failed(f"final picture {w}x{h}, expected {expect}")
    for x, y, colour in expect["pixels"]:
        got = list(rgb[(y * w + x) * 3:(y * w + x) * 3 + 3])
        if got != colour:
            raise Failed(f"pixel {x},{y} is {got}, expected {colour}")
    log("final picture matches the peer's dma-buf memory after the valid ScanoutDMABUF + "
        "UpdateDMABUF")


# --- guest 2: a Linux kernel drawing on /dev/fb0 ---------------------------------------------
INIT = """#!/bin/busybox sh
/bin/busybox mkdir -p /proc /sys /dev /bin
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sys /sys
/bin/busybox mount -t devtmpfs dev /dev
/bin/busybox insmod /psmouse.ko
# no text console drawing over the pattern
echo 0 > /sys/class/vtconsole/vtcon1/bind
/fbguest ${fbmode:-interactive}
/bin/busybox poweroff -f
"""


def cpio_newc(entries):
    out = bytearray()
    for ino, (name, mode, data) in enumerate(entries + [("TRAILER!!!", 0, b"")], 1):
        fields = [ino, mode, 0, 0, 1, 0, len(data), 0, 0, 0, 0, len(name) + 1, 0]
        out += b"070701" + "".join(f"{v:08X}" for v in fields).encode() + name.encode() + b"\0"
        out += b"\0" * (-len(out) % 4)
        out += data
        out += b"\0" * (-len(out) % 4)
    return bytes(out)


def linux_guest(env):
    """Kernel from the VM test bed's cache (fetched once per build dir) + our initramfs."""
    a = env.args
    if not a.fbguest or not a.fetch_kernel or not a.vm_cache:
        raise Skip("no --fbguest/--fetch-kernel/--vm-cache")
    r = subprocess.run([a.fetch_kernel, a.vm_cache], capture_output=True, text=True,
                       timeout=600)
    if r.returncode != 0 or not r.stdout.strip():
        raise Skip("no Debian kernel (tests/vm/fetch-kernel failed: "
                   f"{r.stderr.strip().splitlines()[-1:]})")
    kdir = r.stdout.strip().splitlines()[-1]
    kver = open(os.path.join(kdir, "kver")).read().strip()
    kernel = os.path.join(kdir, "root/boot", f"vmlinuz-{kver}")
    psmouse = os.path.join(kdir, "root/lib/modules", kver, "kernel/drivers/input/mouse/psmouse.ko")
    busybox = shutil.which("busybox") or "/bin/busybox"
    entries = [("bin", 0o40755, b""), ("dev", 0o40755, b""), ("proc", 0o40755, b""),
               ("sys", 0o40755, b""),
               ("init", 0o100755, INIT.encode()),
               ("bin/busybox", 0o100755, open(busybox, "rb").read()),
               ("fbguest", 0o100755, open(a.fbguest, "rb").read()),
               ("psmouse.ko", 0o100644, open(psmouse, "rb").read())]
    initrd = os.path.join(env.tmp, "initrd.cpio")
    with open(initrd, "wb") as f:
        f.write(cpio_newc(entries))
    return kernel, initrd


def serial(env):
    try:
        return open(os.path.join(env.tmp, "serial.log"), errors="replace").read()
    except OSError:
        return ""


def start_linux(env, mode="interactive"):
    kernel, initrd = linux_guest(env)
    return env.start_qemu(extra=[
        "-m", "256", "-kernel", kernel, "-initrd", initrd,
        "-append", f"console=ttyS0 vga=0x344 vt.global_cursor_default=0 loglevel=3 "
                   f"panic=-1 fbmode={mode}",
        "-serial", f"file:{env.tmp}/serial.log"])


def t_linux_fb(env, p2p=False):
    env.start_bus()
    start_linux(env)
    driver = env.start_driver("driver", False)
    viewer = env.start_viewer("udmaview", False)
    wait_for("the guest's @@READY", lambda: "@@READY" in serial(env), 120, 0.5)
    fbline = re.search(r"@@FB (\d+) (\d+) (\d+) (\d+)@@", serial(env))
    log(f"guest framebuffer: {fbline.group(0) if fbline else '?'}; "
        f"{re.search('@@READY.*@@', serial(env)).group(0)}")
    time.sleep(1.5)
    # 1. The pattern, pixel-exact.
    ppm = env.freeze_and_dump("pattern")
    time.sleep(0.5)
    env.qmp.cmd("cont")
    w, h, rgb = read_ppm(ppm)
    if (w, h) != (1024, 768):
        raise Failed(f"the guest screen is {w}x{h}, expected the 1024x768 pattern")
    for x, y in ((0, 0), (1023, 767), (512, 384), (100, 96)):
        got = list(rgb[(y * w + x) * 3:(y * w + x) * 3 + 3])
        want = [x * 255 // w, y * 255 // h, (x ^ y) & 255]
        if got != want:
            raise Failed(f"screendump pixel {x},{y} = {got}, the guest drew {want}")
    # 2. A key typed through the viewer's input path makes the guest change a small rect.
    before = len(frames_of(env.procs.out("driver")))
    driver.stdin.write(b"key 19\n")  # KEY_R
    driver.stdin.flush()
    wait_for("the guest's @@KEY 0x72@@ and @@RECT 1@@",
             lambda: "@@KEY 0x72@@" in serial(env) and "@@RECT 1@@" in serial(env), 20)
    log("KEY_R typed through the driver reached the guest's VT as 'r' (0x72)")
    # 3. The mouse: relative motion and a button reach /dev/input/mice.
    driver.stdin.write(f"rel 10 -5\nbutton {BTN_LEFT} 1\nbutton {BTN_LEFT} 0\n".encode())
    driver.stdin.flush()
    wait_for("the guest's @@MOUSE 1 …@@ (left button down)",
             lambda: re.search(r"@@MOUSE 1 ", serial(env)), 20)
    log("mouse: " + " ".join(re.findall(r"@@MOUSE [^@]*@@", serial(env))))
    time.sleep(1.5)
    ppm = env.freeze_and_dump("rect")
    time.sleep(0.5)
    env.end_viewer(viewer)
    env.end_driver(driver)
    compare(f"{env.tmp}/udmaview.png", ppm)
    compare(f"{env.tmp}/driver.png", ppm)
    # 4. Damage: after the key, only the rect changed, and every damage row band holds it.
    after = frames_of(env.procs.out("driver"))[before:]
    changed = [f for f in after if f["changed"] != "0"]
    check_outside(frames_of(env.procs.out("driver")), "driver")
    boxes = {f["changed_box"] for f in changed}
    damages = {f["damage"] for f in changed}
    log(f"after the key: {len(after)} frames, changed boxes {boxes}, their damage {damages}")
    # QEMU may catch the guest half-way through drawing: the rect can arrive in pieces, but
    # together they must be exactly the rect.
    union = None
    for b in boxes:
        x, y, bw, bh = map(int, b.split(","))
        if x < 100 or y < 96 or x + bw > 164 or y + bh > 128:
            raise Failed(f"pixels outside the 64x32 rect at 100,96 changed: {b}")
        union = (x, y, x + bw, y + bh) if union is None else (
            min(union[0], x), min(union[1], y), max(union[2], x + bw), max(union[3], y + bh))
    if union != (100, 96, 164, 128):
        raise Failed(f"the changes {boxes} do not make up the 64x32 rect at 100,96")
    for d in damages:
        for r in d.split(";"):
            x, y, dw, dh = map(int, r.split(","))
            if y > 96 or y + dh < 128 or dh > 64:
                raise Failed(f"damage {r} does not fit the changed rows 96..127")
    stats = [l for l in env.procs.err("udmaview").splitlines() if "bytes (" in l]
    log("udmaview: " + (stats[0] if stats else "no stats"))


def start_xvfb(env):
    """A private X server (free display number via -displayfd), owned like every process."""
    r, w = os.pipe()
    p = subprocess.Popen(["Xvfb", "-displayfd", str(w), "-screen", "0", "1280x1024x24",
                          "-nolisten", "tcp", "-noreset"], pass_fds=(w,),
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         start_new_session=True)
    p.name = "xvfb"
    env.procs.procs.append(p)
    os.close(w)
    number = b""
    end = time.monotonic() + 15
    os.set_blocking(r, False)
    while time.monotonic() < end and not number.endswith(b"\n") and p.poll() is None:
        try:
            number += os.read(r, 16)
        except BlockingIOError:
            time.sleep(0.05)
    os.close(r)
    if not number.strip().isdigit():
        raise Skip("Xvfb did not start")
    xenv = dict(os.environ, DISPLAY=":" + number.decode().strip())
    xenv.pop("WAYLAND_DISPLAY", None)
    return xenv


def t_sdl_input(env, p2p=False):
    """The real viewer's SDL window: a click and a key typed into it reach the guest."""
    for tool in ("Xvfb", "xdotool"):
        if not shutil.which(tool):
            raise Skip(f"{tool} missing")
    xenv = start_xvfb(env)
    env.start_bus()
    start_linux(env)
    viewer = env.procs.start("udmaview", [env.args.udmaview, "--source", f"qemu:{env.bus}",
                                          "--output", "sdl"], env=xenv)
    wait_for("the guest's @@READY", lambda: "@@READY" in serial(env) or
             viewer.poll() is not None, 120, 0.5)
    if viewer.poll() is not None:
        err = env.procs.err("udmaview")
        if "not available" in err or "not built" in err:
            raise Skip("udmaview has no SDL output: " + err.strip())
        raise Failed(f"udmaview ended: {err}")
    xdo = lambda *a: subprocess.run(["xdotool", *a], env=xenv, capture_output=True,
                                    text=True, timeout=10)
    win = wait_for("the udmaview window",
                   lambda: xdo("search", "--name", "^udmaview").stdout.split(), 20)[0]
    time.sleep(1)
    xdo("mousemove", "--window", win, "50", "50")
    xdo("click", "1")  # grabs the input and presses BTN_LEFT in the guest
    wait_for("the guest's @@MOUSE 1 …@@", lambda: re.search(r"@@MOUSE 1 ", serial(env)), 20)
    xdo("key", "r")
    wait_for("the guest's @@KEY 0x72@@", lambda: "@@KEY 0x72@@" in serial(env), 20)
    log("SDL window -> udmaview -> QEMU -> guest: " +
        " ".join(re.findall(r"@@(?:MOUSE|KEY)[^@]*@@", serial(env))))
    env.end_viewer(viewer)


TESTS = {
    "sdl-input": t_sdl_input,
    "linux-fb": t_linux_fb,
    "seabios-bus": lambda e: t_seabios(e, False),
    "seabios-p2p": lambda e: t_seabios(e, True),
    "input-key": t_input_key,
    "qemu-killed": t_qemu_killed,
    "viewer-first": t_viewer_first,
    "reconnect": t_reconnect,
    "wrong-console": t_wrong_console,
    "fake-peer": t_fake_peer,
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("test", choices=sorted(TESTS))
    ap.add_argument("--udmaview", required=True)
    ap.add_argument("--driver", required=True)
    ap.add_argument("--fake-peer", required=True)
    ap.add_argument("--fbguest")
    ap.add_argument("--fetch-kernel")
    ap.add_argument("--vm-cache")
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = ap.parse_args()
    if not os.path.exists(QEMU) or not os.path.exists(DBUS_DAEMON):
        print("1..0 # SKIP qemu-system-x86_64 or dbus-daemon missing")
        return 77
    tmp = tempfile.mkdtemp(prefix="udmaview-qemu-")
    env = Env(args, tmp)
    t0 = time.monotonic()
    ok = False
    try:
        TESTS[args.test](env)
        # GLib's CRITICAL/WARNING lines mean API misuse in the viewer: a failure too.
        for name in sorted(os.listdir(tmp)):
            if name.endswith(".err") and name.startswith(("udmaview", "driver")):
                text = open(os.path.join(tmp, name), errors="replace").read()
                bad = [l for l in text.splitlines() if "-CRITICAL **" in l or "-WARNING **" in l]
                if bad:
                    raise Failed(f"{name}: {bad[:3]}")
        ok = True
    except Skip as e:
        print(f"SKIP {args.test}: {e}", flush=True)
        env.procs.stop()
        return 77
    except Failed as e:
        print(f"FAIL {args.test}: {e}", flush=True)
    except Exception as e:  # a bug in the test itself: still clean up
        print(f"FAIL {args.test}: {type(e).__name__}: {e}", flush=True)
    finally:
        if env.qmp:
            env.qmp.close()
        env.procs.stop()
        if not ok or args.keep:
            for name in sorted(os.listdir(tmp)):
                if name.endswith(".err"):
                    log(f"--- {name}:\n" + open(os.path.join(tmp, name), errors="replace")
                        .read()[-3000:])
        if args.keep or not ok:
            log(f"files kept in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    print(f"{'PASS' if ok else 'FAIL'} {args.test} in {time.monotonic() - t0:.1f} s", flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
