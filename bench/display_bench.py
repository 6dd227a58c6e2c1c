#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Display benchmark: what showing a guest costs with QEMU's own UI and with udmaview.

The same guest (guest 2 of the e2e tests: a Linux kernel + busybox running fbguest on std VGA
at 1024x768x32) and workload, shown by
  none      QEMU -display none: the baseline (no display at all);
  sdl       (A) QEMU -display sdl, its own window;
  dbus-p2p  (B) QEMU -display dbus,p2p=yes + udmaview --output sdl;
  dbus-bus  (B) QEMU -display dbus on a private dbus-daemon + udmaview --output sdl;
  dbus-p2p-m25 (B) as dbus-p2p, udmaview on Mesa 25.0 (tests/e2e/mesa/fetch-mesa25's
            prefix, selected by the environment): its X11 EGL swaps with damage, so llvmpipe
            redraws and Xvfb receives only the damaged rectangles (Mesa 22.3: the whole window).
Every display but none runs on its own Xvfb of the same size. Runs are interleaved (none, sdl,
dbus-p2p, dbus-bus, none, sdl, … — --reps rounds); each boots the guest, waits for its
workload to run, then counts, over --seconds, the CPU time of EVERY process involved (QEMU,
udmaview, dbus-daemon, Xvfb) from /proc. Workloads (fbguest modes): small = a 64x64
rectangle changing at 60 Hz, full = the whole screen at 30 Hz, scroll = the kernel's text
console scrolling 30 lines a second.

The table gives, per process and in total, the median % of one core and its spread
[min–max]; "cost" = total minus the median total of none; "B/A" = cost(B) / cost(A) per
round (median [min–max]); "p99" = udmaview's update→present p99 (produced_to_presented,
ms). Numbers, not verdicts: this never fails on speed, only when a run cannot be made.

Usage (from a build dir; `meson compile -C build` first):
  bench/display_bench.py --build build [--reps 5] [--seconds 10]
        [--workloads small,full,scroll] [--displays none,sdl,dbus-p2p,dbus-bus,dbus-p2p-m25]
        [--qemu system,10.0]
--qemu 10.0 uses the QEMU 10.0 that tests/e2e/qemu/fetch-qemu10 extracts into the build's
vm-cache (downloaded once); skipped with a message when it cannot be had.
"""
import argparse
import contextlib
import shutil
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.dont_write_bytecode = True
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / 'tests' / 'lib'))
sys.path.insert(0, str(ROOT / 'tests' / 'e2e' / 'qemu'))

from qemu_tests import linux_guest  # noqa: E402
from qemu_tests.env import Env  # noqa: E402
from udmaview_test import mesa, procs, timing  # noqa: E402
from udmaview_test.cpu import window  # noqa: E402
from udmaview_test.qemu import Qemu, QemuUnavailable, fetch_qemu10  # noqa: E402
from udmaview_test.tap import Failed, Skipped  # noqa: E402
from udmaview_test.xvfb import Xvfb  # noqa: E402

WORKLOADS = {  # name: (fbguest mode, description)
    'small': ('small', '64x64 rect at 60 Hz'),
    'full': ('full30', 'full screen at 30 Hz'),
    'scroll': ('scroll', 'text console scrolling 30 lines/s'),
}
DISPLAYS = ('none', 'sdl', 'dbus-p2p', 'dbus-bus', 'dbus-p2p-m25')
PROCESSES = ('qemu', 'udmaview', 'dbus', 'xvfb')
BOOT_TIMEOUT = 180


def run_one(args, qemu, workload, display):
    """One boot: {'cpu': {process: %}, 'p99': ms or None, 'counters': {...}}."""
    tmp = tempfile.mkdtemp(prefix='udmaview-display-bench-')
    env = Env(args, tmp, qemu)
    try:
        with (Xvfb() if display != 'none' else contextlib.nullcontext()) as x:
            if display == 'dbus-bus':
                env.start_bus()
            kernel, initrd = linux_guest.build(env)
            p2p = display.startswith('dbus-p2p')
            disp = 'dbus,p2p=yes' if p2p else {'none': 'none', 'sdl': 'sdl',
                                                'dbus-bus': f'dbus,addr={env.bus}'}[display]
            argv = [*qemu.argv(), '-accel', 'tcg', '-nodefaults', '-vga', 'std',
                    '-display', disp, '-no-reboot',
                    *linux_guest.qemu_args(env, kernel, initrd, WORKLOADS[workload][0])]
            if p2p:
                argv += ['-qmp', f'unix:{tmp}/qmp-viewer,server=on,wait=off']
            q = env.start('qemu', argv, env=qemu.environ(x.env if x else None))
            watched = [q] + [p for p in env.procs if p.name == 'dbus']
            if x:
                watched.append(x.proc)
            viewer = None
            timing_path = f'{tmp}/timing.json'
            if display.startswith('dbus'):
                source = f'qemu-p2p:{tmp}/qmp-viewer' if p2p else f'qemu:{env.bus}'
                procs.wait_until('the QMP socket', lambda: Path(f'{tmp}/qmp-viewer').exists()
                                 or not p2p, 30, proc=q)
                viewer_env = dict(x.env)
                if display.endswith('-m25'):
                    viewer_env.update(mesa.env(args.mesa25))
                viewer = env.start('udmaview', [args.udmaview, '--source', source,
                                                '--output', 'sdl', '--timing', timing_path],
                                   env=viewer_env)
                watched.append(viewer)
            procs.wait_until(f'the guest\'s first @@TICK ({display}, {workload})',
                             lambda: '@@TICK' in linux_guest.serial(env), BOOT_TIMEOUT, 0.5,
                             proc=q)
            time.sleep(2)  # the viewer's window is up and the workload in its stride
            for p in watched:
                if not p.running():
                    raise Failed(f'{p.name} exited with {p.returncode} before the '
                                 f'measurement: {env.err(p.name)[-1500:]}')
            recorder = None
            if args.perf and viewer:
                Path(args.perf).mkdir(parents=True, exist_ok=True)
                recorder = procs.start('perf', [
                    'perf', 'record', '-q', '-F', '999', '-g', '-p', str(viewer.pid), '-o',
                    f'{args.perf}/udmaview-{workload}-{display}.data'],
                    stdout=f'{tmp}/perf.out', stderr=f'{tmp}/perf.err')
            used = window(watched, args.seconds)
            if recorder:
                recorder.kill(signal.SIGINT, 15)
            result = {'cpu': {n: used.get(n, 0.0) for n in PROCESSES}, 'p99': None,
                      'counters': {}}
            result['cpu']['total'] = sum(result['cpu'].values())
            if viewer:
                rc = viewer.kill(signal.SIGTERM, 15)
                if rc != 0:
                    raise Failed(f'udmaview exited with {rc}: {env.err("udmaview")[-1500:]}')
                if args.timing_dir:
                    Path(args.timing_dir).mkdir(parents=True, exist_ok=True)
                    shutil.copy(timing_path, f'{args.timing_dir}/qemu{".".join(map(str, qemu.version()))}-'
                                f'{workload}-'
                                f'{display}-{time.monotonic_ns()}.json')
                summary = timing.load(timing_path)['summary']
                result['p99'] = summary.get('produced_to_presented', {}).get('p99_ms')
                result['counters'] = summary.get('source_counters', {})
                result['fps'] = summary.get('fps', 0.0)
            return result
    finally:
        env.stop()
        shutil.rmtree(tmp, ignore_errors=True)


def spread(values, fmt='{:.1f}'):
    """'median [min–max]' of values (or '–' when there are none)."""
    if not values:
        return '–'
    med = statistics.median(values)
    if len(values) == 1:
        return fmt.format(med)
    return f'{fmt.format(med)} [{fmt.format(min(values))}–{fmt.format(max(values))}]'


def report(label, workload, runs, args):
    """The table of one QEMU and workload; runs: {display: [result per round]}."""
    print(f'\n== {label}, {workload} ({WORKLOADS[workload][1]}): {args.reps} round(s) × '
          f'{args.seconds:g} s, % of one core, median [min–max]')
    cols = ['qemu', 'udmaview', 'dbus', 'xvfb', 'total', 'cost', 'p99 ms']
    print(f'  {"display":10s}' + ''.join(f' {c:>22s}' for c in cols))
    base = statistics.median([r['cpu']['total'] for r in runs['none']]) \
        if runs.get('none') else None
    cost = {}
    for d in args.displays:
        rs = runs.get(d, [])
        if base is not None:
            cost[d] = [r['cpu']['total'] - base for r in rs]
        cells = [spread([r['cpu'][n] for r in rs]) if d != 'none' or n in ('qemu', 'total')
                 else '–' for n in ('qemu', 'udmaview', 'dbus', 'xvfb', 'total')]
        cells.append(spread(cost.get(d, [])) if d != 'none' else '(baseline)')
        cells.append(spread([r['p99'] for r in rs if r['p99'] is not None], '{:.2f}'))
        print(f'  {d:10s}' + ''.join(f' {c:>22s}' for c in cells))
        counters = [r['counters'] for r in rs if r['counters'].get('update')]
        if counters:  # over udmaview's whole run; a Scanout carries the whole surface
            per_msg = [c['bytes_copied'] / (c['update'] + c.get('scanout', 0)) for c in counters]
            print(f'  {"":10s}  pixel bytes copied per Scanout/Update message '
                  f'{spread(per_msg, "{:.0f}")}; Scanouts per Update '
                  f'{spread([c.get("scanout", 0) / c["update"] for c in counters], "{:.2f}")}; '
                  f'udmaview presented {spread([r.get("fps", 0.0) for r in rs])} fps')
    if 'sdl' in cost:
        for b in ('dbus-p2p', 'dbus-bus', 'dbus-p2p-m25'):
            if b in cost:
                ratios = [cb / ca for cb, ca in zip(cost[b], cost['sdl']) if ca > 0]
                print(f'  B/A {b}: display cost / SDL UI display cost = '
                      f'{spread(ratios, "{:.2f}")} (per round)')


def qemus(args):
    """(label, Qemu) for each --qemu name; a QEMU that cannot be had is skipped loudly."""
    for name in args.qemu.split(','):
        try:
            if name == 'system':
                q = Qemu.system()
            elif name == '10.0':
                q = fetch_qemu10(args.vm_cache, args.fetch_qemu)
            else:
                raise QemuUnavailable(f'unknown --qemu {name} (system, 10.0)')
            version = '.'.join(str(v) for v in q.version())
        except QemuUnavailable as exc:
            print(f'\n== QEMU {name}: skipped: {exc}')
            continue
        yield f'QEMU {version}', q


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--build', default=str(ROOT / 'build'),
                    help='the meson build dir with udmaview, qemu-fbguest and vm-cache')
    ap.add_argument('--reps', type=int, default=5, help='interleaved rounds (default 5)')
    ap.add_argument('--seconds', type=float, default=10, help='measured window per run')
    ap.add_argument('--workloads', default='small,full,scroll')
    ap.add_argument('--displays', default=','.join(DISPLAYS))
    ap.add_argument('--perf', metavar='DIR',
                    help='perf record udmaview during each window into DIR (a profile, '
                    'not counted: the CPU of perf itself is not in the table)')
    ap.add_argument('--timing-dir', metavar='DIR',
                    help='keep udmaview\'s timing report of each run in DIR (for '
                    'udmaview-timing summary/plot/compare)')
    ap.add_argument('--qemu', default='system,10.0',
                    help='system (the machine\'s, Debian 12: 7.2) and/or 10.0')
    args = ap.parse_args()
    build = Path(args.build)
    args.udmaview = str(build / 'udmaview')
    args.fbguest = str(build / 'tests' / 'e2e' / 'qemu' / 'qemu-fbguest')
    args.fetch_kernel = str(ROOT / 'tests' / 'vm' / 'fetch-kernel')
    args.fetch_qemu = str(ROOT / 'tests' / 'e2e' / 'qemu' / 'fetch-qemu10')
    args.vm_cache = str(build / 'vm-cache')
    args.displays = args.displays.split(',')
    workloads = args.workloads.split(',')
    bad = [d for d in args.displays if d not in DISPLAYS] + \
        [w for w in workloads if w not in WORKLOADS]
    if bad:
        ap.error(f'unknown display or workload: {", ".join(bad)}')
    for path in (args.udmaview, args.fbguest):
        if not Path(path).exists():
            ap.error(f'{path} is missing: build first (meson compile -C {build})')
    procs.install_signal_handlers()
    args.mesa25 = None
    if any(d.endswith('-m25') for d in args.displays):
        try:
            args.mesa25 = mesa.fetch(args.vm_cache)
        except Failed as exc:
            print(f'display benchmark: Mesa 25.0 cannot be had, the -m25 display is left out: '
                  f'{exc}')
            args.displays = [d for d in args.displays if not d.endswith('-m25')]
    print('display benchmark: machine load at start '
          f'{Path("/proc/loadavg").read_text().split()[:3]} (1/5/15 min), '
          f'{len(sys.argv) > 1 and " ".join(sys.argv[1:]) or "defaults"}')
    try:
        for label, qemu in qemus(args):
            for workload in workloads:
                runs = {d: [] for d in args.displays}
                for rnd in range(args.reps):
                    for d in args.displays:
                        runs[d].append(run_one(args, qemu, workload, d))
                        procs.log(f'{label} {workload} round {rnd + 1} {d}: '
                                  f'{runs[d][-1]["cpu"]}')
                report(label, workload, runs, args)
    except Skipped as exc:
        print(f'display benchmark: skipped: {exc}')
        return 77
    except Failed as exc:
        print(f'display benchmark: a run failed (not a speed verdict): {exc}')
        return 1
    finally:
        procs.kill_all()
    print(f'\nmachine load at end {Path("/proc/loadavg").read_text().split()[:3]}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
