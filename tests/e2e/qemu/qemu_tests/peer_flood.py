# SPDX-License-Identifier: MIT
"""fake-peer-flood: a peer sends 10000 Updates (8x8 each) at up to 10 kHz after one Scanout.
The viewer takes every one (source_counters.update), turns them into no more frames than
Updates (latest wins: several Updates between two presenter rounds make one frame), keeps
running, and its memory stays bounded: VmRSS grows by less than 32 MiB over the flood (the
timing report's records, one per frame, are most of what grows)."""

import json
import os
import sys

from udmaview_test import procs, timing
from udmaview_test.tap import check, log


def rss_kib(pid):
    for line in procs.read_text(f'/proc/{pid}/status').splitlines():
        if line.startswith('VmRSS:'):
            return int(line.split()[1])
    return 0


def cpu_s(pid):
    """User + system CPU seconds of pid so far."""
    fields = procs.read_text(f'/proc/{pid}/stat').rsplit(')', 1)[-1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf('SC_CLK_TCK') if fields else 0.0


def run(env):
    env.start_bus()
    timing_path = f'{env.tmp}/udmaview-timing.json'
    viewer = env.start('udmaview', [env.args.udmaview, '--source', f'qemu:{env.bus}',
                                    '--output', 'headless', '--timing', timing_path])
    peer = env.start('fake-peer', [sys.executable, env.args.fake_peer, env.bus, 'flood'])
    procs.wait_until('the peer flooding', lambda: 'flooding' in env.out('fake-peer') or
                     not peer.running(), 60, 0.05)
    before = rss_kib(viewer.pid)
    peak = before
    cpu = {'viewer': cpu_s(viewer.pid), 'peer': cpu_s(peer.pid)}

    def done():
        nonlocal peak
        peak = max(peak, rss_kib(viewer.pid))
        return 'verdict' in env.out('fake-peer') or not peer.running()

    procs.wait_until("the fake peer's verdict", done, 120, 0.1)
    out = env.out('fake-peer')
    log('fake peer:\n' + out[-2000:] + env.err('fake-peer')[-2000:])
    check('verdict ok' in out, 'every Update of the flood was accepted')
    stats = json.loads([line for line in out.splitlines() if line.startswith('{')][-1])
    log(f"flood: {stats['sent']} Updates in {stats['seconds']} s = {stats['rate_hz']} Hz")
    log(f'udmaview VmRSS {before} KiB before, peak {peak} KiB during the flood')
    log(f"CPU during the flood: udmaview {cpu_s(viewer.pid) - cpu['viewer']:.2f} s, "
        f"the peer {cpu_s(peer.pid) - cpu['peer']:.2f} s (which one limits the rate)")
    check(viewer.running(), 'udmaview still runs after the flood')
    check(peak - before < 32 * 1024, f'VmRSS grew {peak - before} KiB (< 32 MiB)')
    env.end_viewer(viewer)
    report = timing.load(timing_path)
    counters = report['summary'].get('source_counters', {})
    check(counters.get('update') == stats['sent'],
          f"udmaview took all {stats['sent']} Updates ({counters.get('update')})")
    frames, dropped = report['summary']['frames'], report['summary']['dropped']
    log(f'{frames} frames ({dropped} dropped, {report["summary"]["presented"]} presented) for '
        f"{stats['sent']} Updates")
    check(0 < frames <= stats['sent'] + 1, f'{frames} frames, at most one per Update')
