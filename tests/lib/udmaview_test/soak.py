# SPDX-License-Identifier: MIT
"""A process's resources sampled over a long run (bench/soak): RSS, open fds, mappings and
dma-buf fds, printed as a table with the growth per hour (least-squares slope over the
second half, so start-up allocations do not count)."""

import os
import sys
import time

from . import procs

KEYS = ("rss_kib", "fds", "maps", "dmabufs")


def sample(pid):
    status = procs.read_text(f"/proc/{pid}/status")
    rss = next((int(line.split()[1]) for line in status.splitlines()
                if line.startswith("VmRSS:")), 0)
    fds = dmabufs = 0
    try:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            fds += 1
            try:
                if os.readlink(f"/proc/{pid}/fd/{fd}").startswith(("anon_inode:dmabuf",
                                                                   "/dmabuf:")):
                    dmabufs += 1
            except OSError:
                pass
    except OSError:
        pass
    maps = len(procs.read_text(f"/proc/{pid}/maps").splitlines())
    return {"rss_kib": rss, "fds": fds, "maps": maps, "dmabufs": dmabufs}


def slope_per_hour(points, key):
    half = points[len(points) // 2:]
    if len(half) < 2:
        return 0.0
    ts = [p["t"] for p in half]
    vs = [p[key] for p in half]
    mt, mv = sum(ts) / len(ts), sum(vs) / len(vs)
    den = sum((t - mt) ** 2 for t in ts)
    return sum((t - mt) * (v - mv) for t, v in zip(ts, vs)) / den * 3600 if den else 0.0


def watch(proc, minutes, every, label):
    """Samples proc every `every` seconds for `minutes`; exits the run if it ends early."""
    start = time.monotonic()
    points = []
    while time.monotonic() - start < minutes * 60:
        if not proc.running():
            sys.exit(f"soak: {label} exited ({proc.returncode})")
        p = sample(proc.pid)
        p["t"] = time.monotonic() - start
        points.append(p)
        time.sleep(every)
    return points


def report(label, minutes, every, points, out=sys.stdout):
    print(f"\n## {label}, {minutes:g} min, a sample every {every:g} s", file=out)
    print("| t (s) | RSS (KiB) | fds | mappings | dma-bufs |\n|---:|---:|---:|---:|---:|",
          file=out)
    step = max(1, len(points) // 12)
    for p in points[::step] + ([points[-1]] if (len(points) - 1) % step else []):
        print(f"| {p['t']:.0f} | {p['rss_kib']} | {p['fds']} | {p['maps']} | {p['dmabufs']} |",
              file=out)
    growth = {k: slope_per_hour(points, k) for k in KEYS}
    print(f"growth per hour (second half): RSS {growth['rss_kib'] / 1024:+.2f} MiB, "
          f"fds {growth['fds']:+.1f}, mappings {growth['maps']:+.1f}, "
          f"dma-bufs {growth['dmabufs']:+.1f}  (target: 0 fds, < 1 MiB)", file=out)
    out.flush()
    return growth
