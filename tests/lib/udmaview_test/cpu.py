# SPDX-License-Identifier: MIT
"""CPU time of processes from /proc: what measure.py and the display benchmark count; and
the median [min–max] the benchmarks print of it."""

import os
import statistics
import time

TICK = os.sysconf('SC_CLK_TCK')


def cpu_seconds(pid) -> float:
    """utime + stime of pid (its threads included; children that exited and were reaped
    are not: every process we count is started and watched by us)."""
    with open(f'/proc/{pid}/stat') as f:
        fields = f.read().rsplit(')', 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def window(watched, seconds) -> dict:
    """% of one core per process (keyed by name) over a window of seconds, and its CPU
    seconds under the key "<name> s"."""
    start = {p.name: cpu_seconds(p.pid) for p in watched}
    t0 = time.monotonic()
    time.sleep(seconds)
    used = {p.name: cpu_seconds(p.pid) - start[p.name] for p in watched}
    elapsed = time.monotonic() - t0
    return {**{n: s / elapsed * 100 for n, s in used.items()},
            **{f'{n} s': s for n, s in used.items()}}


def spread(values, fmt='{:.1f}'):
    """'median [min–max]' of values (or '–' when there are none)."""
    if not values:
        return '–'
    med = statistics.median(values)
    if len(values) == 1:
        return fmt.format(med)
    return f'{fmt.format(med)} [{fmt.format(min(values))}–{fmt.format(max(values))}]'
