#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Measures, in one run, CPU time of udmaview (QEMU -display dbus, headless output) against
QEMU's own SDL UI (on Xvfb) and against QEMU with no display, for guest 2 (Linux, /dev/fb0)
changing a 64x64 rectangle 60 times a second ("small") and the whole 1024x768 screen 10 times
a second ("full"). Also prints udmaview's copied bytes per update and its timing summary.

Usage: measure.py --udmaview PATH --fbguest PATH --fetch-kernel PATH --vm-cache DIR
                  [--seconds 20] [--modes small,full]
Not a test (numbers, not verdicts); needs qemu-system-gui for -display sdl and Xvfb.
"""
import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qemu_e2e as e2e  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime + stime


def window(procs, seconds):
    start = {p.name: cpu_seconds(p.pid) for p in procs}
    time.sleep(seconds)
    return {p.name: (cpu_seconds(p.pid) - start[p.name]) / seconds * 100 for p in procs}


def run(args, mode, display):
    tmp = tempfile.mkdtemp(prefix="udmaview-measure-")
    env = e2e.Env(args, tmp)
    env.args.fake_peer = None
    env.args.driver = None
    result = {}
    try:
        xvfb = None
        if display == "sdl":
            xvfb = env.procs.start("xvfb", ["Xvfb", ":77", "-screen", "0", "1280x1024x24",
                                            "-nolisten", "tcp"])
            time.sleep(1)
            os.environ["DISPLAY"] = ":77"
        if display == "dbus":
            env.start_bus()
        kernel, initrd = e2e.linux_guest(env)
        disp = {"none": "none", "sdl": "sdl", "dbus": f"dbus,addr={env.bus}"}[display]
        argv = [e2e.QEMU, "-accel", "tcg", "-m", "256", "-nodefaults", "-vga", "std",
                "-display", disp, "-no-reboot", "-kernel", kernel, "-initrd", initrd,
                "-append", "console=ttyS0 vga=0x344 vt.global_cursor_default=0 loglevel=3 "
                f"panic=-1 fbmode={mode}", "-serial", f"file:{tmp}/serial.log"]
        qemu = env.procs.start("qemu", argv)
        watched = [qemu]
        if display == "dbus":
            viewer = env.procs.start("udmaview", [
                args.udmaview, "--source", f"qemu:{env.bus}", "--output", "headless",
                "--timing", f"{tmp}/timing.json"])
            watched.append(viewer)
        e2e.wait_for("the guest's first @@TICK", lambda: "@@TICK" in e2e.serial(env), 180, 0.5)
        time.sleep(2)
        result = window(watched, args.seconds)
        ticks = [int(t) for t in __import__("re").findall(r"@@TICK (\d+)@@", e2e.serial(env))]
        result["guest_ticks"] = ticks[-1] if ticks else 0
        if display == "dbus":
            env.procs.kill(viewer, signal.SIGTERM, 15)
            err = env.procs.err("udmaview")
            result["udmaview_log"] = [l for l in err.splitlines()
                                      if "bytes (" in l or "->" in l or "copied" in l]
        if xvfb:
            os.environ.pop("DISPLAY", None)
    finally:
        env.procs.stop()
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
    args = ap.parse_args()
    for mode in args.modes.split(","):
        rows = {d: run(args, mode, d) for d in ("none", "dbus", "sdl")}
        print(f"== guest mode {mode} ({args.seconds:.0f} s window, % of one core)")
        for d, r in rows.items():
            cpu = ", ".join(f"{k} {v:.1f} %" for k, v in r.items()
                            if isinstance(v, float))
            print(f"  -display {d:5s}: {cpu}")
            for line in r.get("udmaview_log", []):
                print("      " + line.strip())
        q_none = rows["none"].get("qemu", 0)
        ui_sdl = rows["sdl"].get("qemu", 0) - q_none
        ui_dbus = rows["dbus"].get("qemu", 0) - q_none + rows["dbus"].get("udmaview", 0)
        print(f"  display cost over -display none: SDL UI {ui_sdl:.1f} %, "
              f"dbus + udmaview {ui_dbus:.1f} % (udmaview alone "
              f"{rows['dbus'].get('udmaview', 0):.1f} %)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
