#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Display benchmark: what showing a guest costs with QEMU's own UI and with udmaview.

The same guest (guest 2 of the e2e tests: a Linux kernel + busybox running fbguest at
1024x768x32, on std VGA or, with --card virtio, on virtio-gpu) and workload, shown by
  none      QEMU -display none: the baseline (no display at all);
  sdl       (A) QEMU -display sdl, its own window (SDL's default renderer: OpenGL, here
            llvmpipe);
  sdl-soft  (A) the same with SDL's software renderer and no GL behind the window surface
            (SDL_RENDER_DRIVER=software SDL_FRAMEBUFFER_ACCELERATION=0);
  dbus-p2p  (B) QEMU -display dbus,p2p=yes + udmaview --output sdl (no path flag: auto);
  dbus-bus  (B) QEMU -display dbus on a private dbus-daemon + udmaview --output sdl;
  dbus-p2p-m25 (B) as dbus-p2p, udmaview --sdl-path gl on Mesa 25.0 (tests/e2e/mesa/fetch-mesa25's
            prefix, selected by the environment): its X11 EGL swaps with damage, so llvmpipe
            redraws and Xvfb receives only the damaged rectangles (Mesa 22.3: the whole window);
  dbus-p2p-sw (B) as dbus-p2p, udmaview --sdl-path software: no GL, the damaged rectangles
            are written into SDL's window surface and only they go to the X server.
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
        [--workloads small,full,scroll] [--card std,virtio]
        [--displays none,sdl,sdl-soft,dbus-p2p,dbus-bus,dbus-p2p-m25,dbus-p2p-sw]
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
from udmaview_test.cpu import spread, window  # noqa: E402
from udmaview_test.qemu import Qemu, QemuUnavailable, fetch_qemu10  # noqa: E402
from udmaview_test.tap import Failed, Skipped  # noqa: E402
from udmaview_test.xvfb import Xvfb  # noqa: E402

WORKLOADS = {  # name: (fbguest mode, description)
    'small': ('small', '64x64 rect at 60 Hz'),
    'full': ('full30', 'full screen at 30 Hz'),
    'scroll': ('scroll', 'text console scrolling 30 lines/s'),
}
DISPLAYS = ('none', 'sdl', 'sdl-soft', 'dbus-p2p', 'dbus-bus', 'dbus-p2p-m25', 'dbus-p2p-sw')
# QEMU's SDL UI with SDL's software renderer, drawing straight into the X window (no GL): what
# QEMU's own UI costs at its cheapest on a host without a GPU.
SDL_SOFTWARE = {'SDL_RENDER_DRIVER': 'software', 'SDL_FRAMEBUFFER_ACCELERATION': '0'}
# The guest's card: std VGA (vesafb; QEMU shows the guest's VRAM, damage is whole rows) or
# virtio-gpu (the virtio_gpu driver's fbdev on a 2D resource: a surface QEMU allocates itself,
# from a memfd since 9.2, so QEMU 10 offers it through Listener.Unix.Map; damage is the
# flushed rectangle).
CARDS = ('std', 'virtio')
PROCESSES = ('qemu', 'udmaview', 'dbus', 'xvfb')
BOOT_TIMEOUT = 180


def run_one(args, qemu, card, workload, display):
    """One boot: {'cpu': {process: %}, 'p99': ms or None, 'counters': {...}}."""
    tmp = tempfile.mkdtemp(prefix='udmaview-display-bench-')
    env = Env(args, tmp, qemu)
    try:
        with (Xvfb() if display != 'none' else contextlib.nullcontext()) as x:
            if display == 'dbus-bus':
                env.start_bus()
            virtio = card == 'virtio'
            kernel, initrd = linux_guest.build(
                env, linux_guest.VIRTIO_GPU_MODULES if virtio else ())
            p2p = display.startswith('dbus-p2p')
            disp = 'dbus,p2p=yes' if p2p else {'none': 'none', 'sdl': 'sdl', 'sdl-soft': 'sdl',
                                                'dbus-bus': f'dbus,addr={env.bus}'}[display]
            argv = [*qemu.argv(), '-accel', 'tcg', '-nodefaults',
                    *(['-vga', 'none', *linux_guest.VIRTIO_GPU] if virtio else ['-vga', 'std']),
                    '-display', disp, '-no-reboot',
                    *linux_guest.qemu_args(env, kernel, initrd, WORKLOADS[workload][0],
                                           vesa=not virtio)]
            if p2p:
                argv += ['-qmp', f'unix:{tmp}/qmp-viewer,server=on,wait=off']
            qemu_env = dict(x.env, **SDL_SOFTWARE) if display == 'sdl-soft' else \
                (x.env if x else None)
            q = env.start('qemu', argv, env=qemu.environ(qemu_env))
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
                # No flag on dbus-p2p and dbus-bus: what a user gets (--sdl-path auto).
                path = (['--sdl-path', 'software'] if display.endswith('-sw') else
                        ['--sdl-path', 'gl'] if display.endswith('-m25') else [])
                viewer = env.start('udmaview', [args.udmaview, '--source', source,
                                                '--output', 'sdl', *path, '--timing',
                                                timing_path], env=viewer_env)
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
                                f'{card}-{workload}-{display}-{time.monotonic_ns()}.json')
                summary = timing.load(timing_path)['summary']
                result['p99'] = summary.get('produced_to_presented', {}).get('p99_ms')
                result['counters'] = summary.get('source_counters', {})
                result['fps'] = summary.get('fps', 0.0)
            return result
    finally:
        env.stop()
        shutil.rmtree(tmp, ignore_errors=True)


def report(label, card, workload, runs, args):
    """The table of one QEMU, card and workload; runs: {display: [result per round]}."""
    print(f'\n== {label}, {card}, {workload} ({WORKLOADS[workload][1]}): {args.reps} round(s) × '
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
        # Over udmaview's whole run: a Scanout carries the whole surface, an Update its
        # damage; ScanoutMap/UpdateMap carry none (the pixels are in the shared memfd).
        counters = [r['counters'] for r in rs
                    if r['counters'].get('update') or r['counters'].get('update_map')]
        if counters:
            msgs = [c.get('update', 0) + c.get('scanout', 0) for c in counters]
            per_msg = [c['bytes_copied'] / m for c, m in zip(counters, msgs) if m]
            print(f'  {"":10s}  Update {spread([c.get("update", 0) for c in counters], "{:.0f}")}'
                  f', UpdateMap {spread([c.get("update_map", 0) for c in counters], "{:.0f}")}'
                  f' messages; pixel bytes copied per Scanout/Update '
                  f'{spread(per_msg, "{:.0f}")}; udmaview presented '
                  f'{spread([r.get("fps", 0.0) for r in rs])} fps')
    for a in ('sdl', 'sdl-soft'):
        for b in args.displays:
            if a in cost and b.startswith('dbus') and b in cost:
                ratios = [cb / ca for cb, ca in zip(cost[b], cost[a]) if ca > 0]
                print(f'  B/A {b} / {a}: display cost / QEMU UI display cost = '
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
    ap.add_argument('--card', default='std',
                    help='the guest\'s card: std (VGA, default) and/or virtio (virtio-gpu; '
                    'QEMU 10 shares its surface through Unix.Map)')
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
    cards = args.card.split(',')
    bad = [d for d in args.displays if d not in DISPLAYS] + \
        [w for w in workloads if w not in WORKLOADS] + [c for c in cards if c not in CARDS]
    if bad:
        ap.error(f'unknown display, workload or card: {", ".join(bad)} (displays '
                 f'{",".join(DISPLAYS)}; workloads {",".join(WORKLOADS)}; cards '
                 f'{",".join(CARDS)})')
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
            for card in cards:
                for workload in workloads:
                    runs = {d: [] for d in args.displays}
                    for rnd in range(args.reps):
                        for d in args.displays:
                            runs[d].append(run_one(args, qemu, card, workload, d))
                            procs.log(f'{label} {card} {workload} round {rnd + 1} {d}: '
                                      f'{runs[d][-1]["cpu"]}')
                    report(label, card, workload, runs, args)
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
