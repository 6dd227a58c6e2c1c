#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Measures, in one run, CPU time of udmaview (QEMU -display dbus, headless output) against
QEMU's own SDL UI (on Xvfb) and against QEMU with no display, for guest 2 (Linux, /dev/fb0)
changing a 64x64 rectangle 60 times a second ("small") and the whole 1024x768 screen 10 times
a second ("full"). Also prints udmaview's copied bytes per update and its timing summary,
and with -display dbus the CPU seconds of QEMU, udmaview and the bus's dbus-daemon.

Usage: measure.py --udmaview PATH --fbguest PATH --fetch-kernel PATH --vm-cache DIR
                  [--seconds 20] [--modes small,full] [--displays none,dbus,sdl]
                  [--qemu-prefix DIR] [--bpp 32|16]
--qemu-prefix: an extracted QEMU (e.g. vm-cache/qemu-10.0/prefix) instead of the machine's;
--bpp 16: the guest's vesafb at 1024x768x16 (QEMU converts it into a surface of its own).
Not a test (numbers, not verdicts); needs qemu-system-gui for -display sdl and Xvfb.
"""
import argparse
import contextlib
import re
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "lib"))

from qemu_tests import linux_guest  # noqa: E402
from qemu_tests.env import Env  # noqa: E402
from udmaview_test import procs, timing  # noqa: E402
from udmaview_test.cpu import window  # noqa: E402
from udmaview_test.qemu import Qemu  # noqa: E402
from udmaview_test.xvfb import Xvfb  # noqa: E402

def run(args, mode, display):
    tmp = tempfile.mkdtemp(prefix="udmaview-measure-")
    qemu_bin = Qemu.at_prefix(args.qemu_prefix) if args.qemu_prefix else Qemu.system()
    env = Env(args, tmp, qemu_bin)
    result = {}
    try:
        with (Xvfb() if display == "sdl" else contextlib.nullcontext()) as x:
            if display == "dbus":
                env.start_bus()
            kernel, initrd = linux_guest.build(env)
            disp = {"none": "none", "sdl": "sdl", "dbus": f"dbus,addr={env.bus}"}[display]
            vesa_mode = linux_guest.VESA_16BPP if args.bpp == 16 else linux_guest.VESA_32BPP
            argv = [*qemu_bin.argv(), "-accel", "tcg", "-nodefaults", "-vga", "std",
                    "-display", disp, "-no-reboot",
                    *linux_guest.qemu_args(env, kernel, initrd, mode, vesa_mode=vesa_mode)]
            qemu = env.start("qemu", argv, env=qemu_bin.environ(x.env if x else None))
            watched = [qemu] + [p for p in env.procs if p.name == "dbus"]
            if display == "dbus":
                timing_path = f"{tmp}/timing.json"
                viewer = env.start("udmaview", [args.udmaview, "--source", f"qemu:{env.bus}",
                                                "--output", "headless", "--timing", timing_path])
                watched.append(viewer)
            procs.wait_until("the guest's first @@TICK",
                             lambda: "@@TICK" in linux_guest.serial(env), 180, 0.5)
            time.sleep(2)
            result = window(watched, args.seconds)
            ticks = [int(t) for t in re.findall(r"@@TICK (\d+)@@", linux_guest.serial(env))]
            result["guest_ticks"] = ticks[-1] if ticks else 0
            if display == "dbus":
                viewer.kill(signal.SIGTERM, 15)
                summary = timing.load(timing_path)["summary"]
                result["udmaview_log"] = [
                    line for line in env.err("udmaview").splitlines() if "->" in line]
                counters = summary.get("source_counters", {})
                result["udmaview_log"].append(
                    f"source counters: {counters or 'not reported'}")
                if counters.get("update"):
                    result["bytes_per_update"] = counters["bytes_copied"] / counters["update"]
    finally:
        env.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    return result


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--udmaview", required=True)
    ap.add_argument("--fbguest", required=True)
    ap.add_argument("--fetch-kernel", required=True)
    ap.add_argument("--vm-cache", required=True)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--modes", default="small,full")
    ap.add_argument("--displays", default="none,dbus,sdl")
    ap.add_argument("--qemu-prefix", help="an extracted QEMU (dpkg -x) instead of the PATH one")
    ap.add_argument("--bpp", type=int, choices=(32, 16), default=32)
    args = ap.parse_args()
    for mode in args.modes.split(","):
        rows = {d: run(args, mode, d) for d in args.displays.split(",")}
        print(f"== guest mode {mode} ({args.seconds:.0f} s window, % of one core)")
        for d, r in rows.items():
            cpu = ", ".join(f"{k} {v:.1f} %" for k, v in r.items()
                            if isinstance(v, float) and not k.endswith(" s")
                            and k != "bytes_per_update")
            seconds = ", ".join(f"{k[:-2]} {v:.2f} s" for k, v in r.items()
                                if k.endswith(" s"))
            print(f"  -display {d:5s}: {cpu}; CPU time {seconds}")
            if "bytes_per_update" in r:
                print(f"      D-Bus pixel bytes per update: {r['bytes_per_update']:.0f}")
            for line in r.get("udmaview_log", []):
                print("      " + line.strip())
        if not {"none", "dbus", "sdl"} <= rows.keys():
            continue
        q_none = rows["none"].get("qemu", 0)
        ui_sdl = rows["sdl"].get("qemu", 0) - q_none
        ui_dbus = rows["dbus"].get("qemu", 0) - q_none + rows["dbus"].get("udmaview", 0)
        print(f"  display cost over -display none: SDL UI {ui_sdl:.1f} %, "
              f"dbus + udmaview {ui_dbus:.1f} % (udmaview alone "
              f"{rows['dbus'].get('udmaview', 0):.1f} %)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
