#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Render benchmark: the CPU one frame costs udmaview per way of drawing it, on this host.

The demo source (memfds: the host has no /dev/udmabuf) drawn by the headless output:
  cpu          --render cpu: nothing drawn (the source's own cost, the baseline);
  pixman       --render pixman --filter nearest: the CPU renderer draws each frame's damage;
  pixman-lin   --render pixman --filter linear;
  gl-import    --render gl on Mesa 25.0's software device (tests/e2e/mesa/fetch-mesa25's
               prefix): the buffer imported as an EGLImage and sampled where it is;
  gl-upload25  the same with UDMAVIEW_EGL_NO_IMPORT=1: the damage uploaded into a texture;
  gl-upload22  --render gl on the machine's Mesa 22.3 (no import there: uploads).
Every gl case draws the whole picture each frame (a window's swap does the same); pixman only
the damage. Workloads (demo --pattern): rects (a few moving rectangles damage every frame) and flip
(every 30th frame the whole screen changes and the buffer flips; nothing between). --scaled draws into 1920x1080 (--scale fit)
instead of 1:1.

CPU per frame = (user+sys of a run of LONG frames - that of a run of SHORT frames) / (LONG -
SHORT): start-up (EGL, shader compile, Mesa's own threads) cancels out. Runs are interleaved
(every case once per round, --reps rounds); the table gives per case the median ms of CPU per
frame with its spread [min-max]; "cost" = that minus cpu's in the same round (what drawing
adds to the source's own work), and "cost/pixman" its ratio to pixman's cost in the same round
(median [min-max]).
Numbers, not verdicts: this never fails on speed, only when a run cannot be made.

Usage: bench/render_bench.py --build BUILD [--reps 3] [--frames 300] [--size 1280x800]
       [--cases cpu,pixman,...] [--workloads rects,flip] [--scaled]
"""
import argparse
import os
import resource
import sys
import tempfile
from pathlib import Path

sys.dont_write_bytecode = True
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / 'tests' / 'lib'))

from udmaview_test import mesa, procs, timing  # noqa: E402
from udmaview_test.cpu import spread  # noqa: E402
from udmaview_test.tap import Failed  # noqa: E402

CASES = ('cpu', 'pixman', 'pixman-lin', 'gl-import', 'gl-upload25', 'gl-upload22')
WORKLOADS = ('rects', 'flip')
SHORT = 30
# The path every shown frame must have taken: a case that silently took another path would
# measure the wrong thing.
WANT_PATH = {'cpu': 'mmap memfd', 'pixman': 'pixman', 'pixman-lin': 'pixman',
             'gl-import': 'gl-import', 'gl-upload25': 'gl-upload', 'gl-upload22': 'gl-upload'}


def case_args(case):
    if case == 'cpu':
        return ['--render', 'cpu']
    if case.startswith('pixman'):
        return ['--render', 'pixman', '--filter', 'linear' if case == 'pixman-lin' else 'nearest']
    return ['--render', 'gl', '--filter', 'nearest']


def case_env(case, mesa25):
    env = dict(os.environ)
    env.pop('UDMAVIEW_EGL_NO_IMPORT', None)
    if case in ('gl-import', 'gl-upload25'):
        env.update(mesa.env(mesa25))
    if case == 'gl-upload25':
        env['UDMAVIEW_EGL_NO_IMPORT'] = '1'
    return env


def cpu_of_run(udmaview, case, workload, frames, opts, outdir, mesa25):
    """CPU seconds (user+sys) one run of frames frames took, checked against its report."""
    name = f'{case}-{workload}-{frames}'
    report = Path(outdir) / f'{name}.json'
    argv = [udmaview, '--output', 'headless', '--source', 'demo', '--size', opts.size,
            '--pattern', workload, '--seed', '3', '--frames', str(frames), '--fps', '0',
            '--timing', str(report)] + case_args(case)
    if opts.scaled and case != 'cpu':
        argv += ['--render-size', '1920x1080']
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    status, _, err = procs.run(name, argv, 300, out_dir=outdir, env=case_env(case, mesa25))
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if status != 0:
        raise Failed(f'{name}: udmaview exited {status}: {err[-800:]}')
    paths = {f['path'] for f in timing.load(report)['frames'] if not f['dropped']}
    if paths != {WANT_PATH[case]}:
        raise Failed(f'{name}: frames took {sorted(paths)}, not {WANT_PATH[case]}: the case '
                     'measures something else on this machine')
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--build', required=True)
    ap.add_argument('--reps', type=int, default=3)
    ap.add_argument('--frames', type=int, default=300)
    ap.add_argument('--size', default='1280x800')
    ap.add_argument('--cases', default=','.join(CASES))
    ap.add_argument('--workloads', default=','.join(WORKLOADS))
    ap.add_argument('--scaled', action='store_true')
    opts = ap.parse_args()
    cases = [c for c in opts.cases.split(',') if c]
    workloads = [w for w in opts.workloads.split(',') if w]
    for c in cases:
        if c not in CASES:
            ap.error(f'--cases: unknown case {c} (known: {", ".join(CASES)})')
    for w in workloads:
        if w not in WORKLOADS:
            ap.error(f'--workloads: unknown workload {w} (known: {", ".join(WORKLOADS)})')
    if opts.frames <= SHORT:
        ap.error(f'--frames must be more than {SHORT}')
    procs.install_signal_handlers()
    udmaview = str(Path(opts.build).resolve() / 'udmaview')
    mesa25 = None
    if any(c in ('gl-import', 'gl-upload25') for c in cases):
        mesa25 = mesa.fetch(Path(opts.build).resolve() / 'vm-cache')
        print(f'Mesa {mesa.version(mesa25)} from {mesa25}', flush=True)
    per_frame = {(c, w): [] for c in cases for w in workloads}
    with tempfile.TemporaryDirectory(prefix='render-bench-') as outdir:
        try:
            for rep in range(opts.reps):
                for w in workloads:
                    for c in cases:
                        long_cpu = cpu_of_run(udmaview, c, w, opts.frames, opts, outdir, mesa25)
                        short_cpu = cpu_of_run(udmaview, c, w, SHORT, opts, outdir, mesa25)
                        per_frame[(c, w)].append(
                            max(0.0, long_cpu - short_cpu) / (opts.frames - SHORT) * 1e3)
                print(f'round {rep + 1}/{opts.reps} done', flush=True)
        except Failed as e:
            print(f'render-bench: {e}', file=sys.stderr)
            return 1
    target = '1920x1080 (fit)' if opts.scaled else '1:1'
    print(f'\nCPU per frame (ms), demo {opts.size} drawn {target}, {opts.reps} rounds, '
          f'{opts.frames}-{SHORT} frames each:')
    for w in workloads:
        print(f'\n{w}:\n{"case":<12} {"ms":<24} {"cost ms":<24} {"cost/pixman":<24}')
        base = per_frame.get(('cpu', w))
        costs = {c: [a - b for a, b in zip(per_frame[(c, w)], base)] if base else None
                 for c in cases}
        for c in cases:
            row = [spread(per_frame[(c, w)], '{:.3f}')]
            cost = costs[c]
            row.append(spread(cost, '{:.3f}') if cost and c != 'cpu' else '-')
            ref = costs.get('pixman')
            if cost and ref and c not in ('cpu', 'pixman'):
                ratios = [a / b if b > 0 else float('inf') for a, b in zip(cost, ref)]
                row.append(spread(ratios, '{:.2f}x'))
            else:
                row.append('-')
            print(f'{c:<12} ' + ' '.join(f'{cell:<24}' for cell in row))
    return 0


if __name__ == '__main__':
    sys.exit(main())
