#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""A file shrunk under udmaview: the region source's mmap fallback (--no-udmabuf) on a file
in /dev/shm that the test owns and truncates to one page while udmaview shows it.

usage: shrink_e2e.py UDMAVIEW CASE OUTDIR
CASE: headless | sdl | two-headless | two-sdl

One source (headless, sdl): udmaview ends the run with exit status 1 (a runtime error, never
death by SIGBUS) and the timing report's summary.source_counters.shrunk_files is 1. Two
sources (region + the demo's flip pattern): the region source ends, the demo goes on (it
produces frames after the truncation), SIGTERM ends the run with exit status 0, and only
source 0 counts shrunk_files 1. The moment of the fault is seen in /proc/PID/maps: the
guard replaces the faulting file mapping with anonymous zero pages. SDL cases run on a
private Xvfb (skipped, 77, without Xvfb). Each case takes 2-5 s.
"""
import contextlib
import os
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "lib"))

from udmaview_test import procs, tap, timing  # noqa: E402
from udmaview_test.tap import Failed, Skipped, check, log  # noqa: E402
from udmaview_test.xvfb import Xvfb  # noqa: E402

W, H = 256, 192
PAGE = os.sysconf("SC_PAGE_SIZE")


def file_ranges(pid, path):
    """The address ranges of pid's mappings of path."""
    ranges = set()
    try:
        for line in Path(f"/proc/{pid}/maps").read_text().splitlines():
            fields = line.split(None, 5)
            if len(fields) == 6 and fields[5] == path:
                ranges.add(fields[0])
    except (FileNotFoundError, ProcessLookupError):
        pass
    return ranges


def run_case(case, udmaview, outdir):
    tiles = case.startswith("two-")
    output = case.split("-")[-1]
    shm = tempfile.mkdtemp(prefix="udmaview-shrink-", dir="/dev/shm")
    try:
        path = os.path.join(shm, "fb")
        with open(path, "wb") as f:  # a grey frame over whole pages
            f.write(b"\x80" * (((W * H * 4 + PAGE - 1) // PAGE) * PAGE))
        timing_path = os.path.join(outdir, f"{case}.json")
        args = [udmaview, "--output", output, "--no-udmabuf", "--timing", timing_path,
                "--source", f"region:{path},size={W}x{H}"]
        if tiles:
            args += ["--source", "demo", "--size", "160x120", "--pattern", "flip"]
        with contextlib.ExitStack() as stack:
            env = None
            if output == "sdl":
                if not shutil.which("Xvfb"):
                    raise Skipped("no Xvfb (tools/install-deps installs it)")
                env = stack.enter_context(Xvfb()).env
            run_viewer(case, args, env, path, timing_path, outdir, tiles)
    finally:
        shutil.rmtree(shm, ignore_errors=True)


def run_viewer(case, args, env, path, timing_path, outdir, tiles):
    err = os.path.join(outdir, f"{case}.stderr")
    with procs.start("udmaview", args, env=env, stdout=os.devnull, stderr=err) as viewer:
        mapped = procs.wait_until(f"udmaview mapping {path}",
                                  lambda: file_ranges(viewer.pid, path), 30, proc=viewer)
        time.sleep(0.3)  # let the outputs map it too
        mapped = file_ranges(viewer.pid, path) or mapped
        log(f"udmaview maps {path} at {sorted(mapped)}; truncating it to one page")
        shrunk_ns = time.monotonic_ns()
        os.truncate(path, PAGE)
        procs.wait_until("a guarded mapping replaced by zero pages",
                         lambda: not viewer.running() or
                         not mapped <= file_ranges(viewer.pid, path), 20)
        if tiles:
            time.sleep(1.0)  # the demo keeps drawing
            check(viewer.running(), "udmaview still runs after the region source's file shrank")
            viewer.kill(signal.SIGTERM)
            status = viewer.wait(20)
        else:
            status = viewer.wait(20)
    text = procs.read_text(err)
    log("udmaview stderr (tail):\n" + text[-1500:])
    check(status != -signal.SIGBUS, f"udmaview did not die of SIGBUS (status {status})")
    check(status == (0 if tiles else 1),
          f"exit status {status}: {'0 (stopped by SIGTERM)' if tiles else '1 (runtime error)'}")
    report = timing.load(timing_path)
    summary = report["summary"]
    if tiles:
        sources = summary.get("sources", [])
        check(len(sources) == 2, f"two sources in the report ({len(sources)})")
        region = sources[0].get("source_counters", {})
        demo = sources[1].get("source_counters", {})
        check(region.get("shrunk_files") == 1, f"source 0 counts shrunk_files 1 ({region})")
        check("shrunk_files" not in demo, f"the demo counts no shrunk file ({demo})")
        after = [f for f in report["frames"] if f["source"] == 1 and f["produced_ns"] > shrunk_ns]
        check(len(after) >= 1, f"the demo produced {len(after)} frames after the truncation")
        late = [f for f in report["frames"]
                if f["source"] == 0 and f["produced_ns"] > shrunk_ns and not f["dropped"]
                and f["presented_ns"]]
        log(f"region frames presented after the truncation: {len(late)} (at most the one "
            "whose read faulted)")
        check(len(late) <= 1, "no region frame of zeros shown after the fault was seen")
    else:
        counters = summary.get("source_counters", {})
        check(counters.get("shrunk_files") == 1, f"shrunk_files is 1 ({counters})")


def main():
    if len(sys.argv) != 4 or sys.argv[2] not in ("headless", "sdl", "two-headless", "two-sdl"):
        print(__doc__, file=sys.stderr)
        return 2
    udmaview, case, outdir = os.path.abspath(sys.argv[1]), sys.argv[2], sys.argv[3]
    os.makedirs(outdir, exist_ok=True)
    tap.set_name("shrink " + case)
    procs.install_signal_handlers()
    return tap.main(run_case, case, udmaview, outdir)


if __name__ == "__main__":
    sys.exit(main())
