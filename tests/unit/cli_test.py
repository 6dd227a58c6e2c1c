#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The udmaview command line as a user runs it: exit codes, messages, timing file, PNG dump.

usage: cli_test.py UDMAVIEW
"""
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "lib"))

from udmaview_test import procs, tap  # noqa: E402
from udmaview_test import timing as timing_json  # noqa: E402

UDMAVIEW = sys.argv[1]


def run(*args, timeout=60):
    p = subprocess.run([UDMAVIEW, *args], capture_output=True, text=True, timeout=timeout)
    return p.returncode, p.stdout, p.stderr


def check(name, condition, detail=""):
    tap.expect(condition, name, detail)


def main(tmp):
    timing = os.path.join(tmp, "t.json")
    png = os.path.join(tmp, "last.png")
    rc, out, err = run("--source", "demo", "--output", "headless", "--frames", "120",
                       "--timing", timing, "--dump-png", png)
    check("demo run exits 0", rc == 0, err)
    check("summary printed", "120 frames" in err and "produced -> presented" in err, err)
    if not os.path.exists("/dev/udmabuf"):
        lines = [l for l in err.splitlines() if "mmap fallback" in l]
        check("one line explains the mmap fallback", len(lines) == 1, err)
    data = timing_json.load(timing)
    frames = data["frames"]
    check("120 frame records", len(frames) == 120, str(len(frames)))
    fields = {"seq", "buffer_id", "produced_ns", "imported_ns", "submitted_ns", "presented_ns",
              "bytes_copied", "imports", "dropped", "damage_pixels", "path"}
    check("records have every field", all(fields <= set(f) for f in frames))
    check("seqs are 1..120", [f["seq"] for f in frames] == list(range(1, 121)))
    shown = [f for f in frames if not f["dropped"]]
    check("last frame presented", frames[-1]["presented_ns"] > 0)
    check("presented after produced",
          all(f["presented_ns"] >= f["produced_ns"] for f in shown))
    check("headless copies nothing", data["summary"]["bytes_copied_total"] == 0)
    check("PNG written", os.path.getsize(png) > 1000)

    csv = os.path.join(tmp, "t.csv")
    rc, _, err = run("--frames", "10", "--fps", "0", "--size", "64x48", "--format", "RG16",
                     "--timing", csv)
    check("csv run exits 0", rc == 0, err)
    check("csv has header + 10 rows", len(open(csv).read().splitlines()) == 11)

    # Same options, same pixels: the PNG is a function of the options only.
    a, b = os.path.join(tmp, "a.png"), os.path.join(tmp, "b.png")
    for path in (a, b):
        run("--frames", "37", "--fps", "0", "--size", "200x150", "--seed", "4", "--dump-png", path)
    check("deterministic frames", open(a, "rb").read() == open(b, "rb").read())

    rc, out, _ = run("--help")
    check("--help exits 0 and lists options", rc == 0 and "--timing" in out and "--output" in out)
    rc, out, _ = run("--version")
    check("--version", rc == 0 and out.startswith("udmaview "))

    for args, words in [(["--bogus"], "unknown option"), (["--frames", "x"], "--frames"),
                        (["--size", "0x0"], "--size"), (["--format", "NV12"], "unknown pixel"),
                        (["--pattern", "stars", "--frames", "1"], "unknown demo pattern"),
                        (["--timing", "t.txt"], ".json or .csv"),
                        (["--output", "vnc"], "--output"),
                        (["--output", "kms", "--kms-path", "warp"], "--kms-path"),
                        (["--render", "vulkan"], "--render"),
                        (["--render-size", "640x480"], "--render gl or pixman"),
                        (["--output", "sdl", "--render", "pixman"], "headless options"),
                        (["--output", "wayland", "--source", "demo", "--source", "demo"],
                         "one --source"),
                        (["--output", "wayland", "--wayland-display"], "--wayland-display")]:
        rc, out, err = run(*args)
        lines = err.strip().splitlines()
        check(f"bad usage {args} exits 2 with one clear line",
              rc == 2 and len(lines) == 1 and words in err, f"rc={rc} err={err}")

    rc, _, err = run("--frames", "2", "--timing", "/nonexistent-dir/t.json")
    check("unwritable timing file exits 1 and names it", rc == 1 and "/nonexistent-dir" in err, err)

    err_path = os.path.join(tmp, "sigterm.err")
    with procs.start("udmaview", [UDMAVIEW, "--fps", "30"], stderr=err_path) as p:
        time.sleep(1.0)
        p.send_signal(signal.SIGTERM)
        rc = p.wait(10)
    err = procs.read_text(err_path)
    check("SIGTERM stops cleanly with exit 0 and a summary", rc == 0 and "frames" in err,
          f"rc={rc} {err}")


if __name__ == "__main__":
    procs.install_signal_handlers()
    with tempfile.TemporaryDirectory() as tmpdir:
        sys.exit(tap.main(main, tmpdir))
