#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""KMS benchmark in the VM test bed: what each scan-out path costs on an emulated display.

One VM (tests/vm/run, TCG) runs tests/vm/kms/measure.sh: the demo at 60 fps through the real
KmsOutput, every path once per round (interleaved, --rounds rounds), and with --tiles N the
same paths with N demo sources in tiles through udmaview itself. Default rows (cirrus,
800x600 demo on a 1024x768 mode, --scale fit):
  plane-1:1    --kms-path plane on an 800x600 mode (the plane cannot scale on cirrus)
  gl           --kms-path gl, linear (llvmpipe in the VM)
  pixman       --kms-path cpu, nearest
  pixman-lin   --kms-path cpu, linear
  copy-1:1     --kms-path cpu --scale none (centred, unscaled)
CPU per frame: single source, the presenter/output thread's user+system time per submitted
frame (kms_vm_check); tiles, the whole process's per presented frame (the demos' drawing
included). The table: per row the median [min-max] over rounds, and per round the ratio of
pixman's CPU per frame to copy-1:1's. Numbers, not verdicts: never fails on speed.

Usage: bench/kms_vm_bench.py --build BUILD [--rounds 3] [--frames 1200] [--tiles 4]
       [--kernel 6.1] [--display cirrus-vga]
"""
import argparse
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

sys.dont_write_bytecode = True
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / 'tests' / 'lib'))

from udmaview_test.cpu import spread  # noqa: E402

# row name -> measure.sh spec PATH:SCALE:FILTER:MODE
ROWS = {
    'plane-1:1': 'plane:fit:linear:800x600',
    'gl': 'gl:fit:linear:1024x768',
    'pixman': 'cpu:fit:nearest:1024x768',
    'pixman-lin': 'cpu:fit:linear:1024x768',
    'copy-1:1': 'cpu:none:nearest:1024x768',
}
HEAD = re.compile(r'^## round (\d+): \S+ --kms-path (\S+) --scale (\S+) --filter (\S+) (.*)$')


def parse(text):
    """{(row, kind): {round: {'presented', 'frames', 'cpu_ms', 'p50', 'p99', 'paths'}}}."""
    by_spec = {v: k for k, v in ROWS.items()}
    out = defaultdict(dict)
    key = None
    for line in text.splitlines():
        m = HEAD.match(line)
        if m:
            rnd, path, scale, filt, rest = m.groups()
            kind = 'tiles' if ' tiles of ' in rest else 'single'
            mode = re.search(r' on (\S+?),', rest)
            mode = mode.group(1) if mode else ''
            row = by_spec.get(f'{path}:{scale}:{filt}:{mode}')
            key = ((row, kind), int(rnd)) if row else None
            if key:
                out[key[0]][key[1]] = {}
            continue
        if not key:
            continue
        rec = out[key[0]][key[1]]
        if m := re.match(r'^# driver \S+, paths (\S+),', line):
            rec['paths'] = m.group(1)
        elif m := re.match(r'^# frames (\d+) presented (\d+)', line):
            rec['frames'], rec['presented'] = int(m.group(1)), int(m.group(2))
        elif m := re.match(r'^# cpu per frame \([^)]*\) ([\d.e+-]+) ms', line):
            rec['cpu_ms'] = float(m.group(1))
        elif m := re.match(r'^# children cpu (\d+)m([\d.]+)s (\d+)m([\d.]+)s', line):
            rec['cpu_s'] = (int(m.group(1)) * 60 + float(m.group(2)) + int(m.group(3)) * 60 +
                            float(m.group(4)))
        elif m := re.match(r'^# produced->presented p50 ([\d.e+-]+) ms p99 ([\d.e+-]+)', line):
            rec['p50'], rec['p99'] = float(m.group(1)), float(m.group(2))
        elif line.startswith('not ok') and 'picture' not in line:
            rec['error'] = line
    for rounds in out.values():
        for rec in rounds.values():
            if 'cpu_s' in rec and rec.get('presented'):
                rec['cpu_ms'] = rec['cpu_s'] * 1000 / rec['presented']
    return out


def table(results, kind, rows):
    lines = [f'| row ({kind}) | paths | presented of frames | CPU per frame ms | '
             'produced→presented p50 / p99 ms |', '|---|---|---|---|---|']
    for row in rows:
        rounds = results.get((row, kind), {})
        recs = [r for r in rounds.values() if 'presented' in r]
        if not recs:
            continue
        frames = recs[0].get('frames', 0)
        pct = [100 * r['presented'] / r['frames'] for r in recs if r.get('frames')]
        lines.append(
            f"| {row} | {','.join(sorted({r.get('paths', '?') for r in recs}))} | "
            f"{spread([r['presented'] for r in recs], '{:.0f}')} of {frames} "
            f"({spread(pct, '{:.0f}')} %) | {spread([r['cpu_ms'] for r in recs if 'cpu_ms' in r])}"
            f" | {spread([r['p50'] for r in recs if 'p50' in r], '{:.0f}')} / "
            f"{spread([r['p99'] for r in recs if 'p99' in r], '{:.0f}')} |")
    return '\n'.join(lines)


def ratio(results, kind, a, b):
    ra, rb = results.get((a, kind), {}), results.get((b, kind), {})
    vals = [ra[n]['cpu_ms'] / rb[n]['cpu_ms'] for n in ra
            if n in rb and ra[n].get('cpu_ms') and rb[n].get('cpu_ms')]
    return spread(vals, '{:.2f}')


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--build', type=Path, required=True)
    ap.add_argument('--rounds', type=int, default=3)
    ap.add_argument('--frames', type=int, default=1200)
    ap.add_argument('--tiles', type=int, default=4, help='0: no tile rows')
    ap.add_argument('--kernel', default='6.1')
    ap.add_argument('--display', default='cirrus-vga')
    ap.add_argument('--rows', default=','.join(ROWS))
    args = ap.parse_args()
    build = args.build.resolve()
    rows = [r for r in args.rows.split(',') if r]
    unknown = [r for r in rows if r not in ROWS]
    if unknown:
        sys.exit(f'kms_vm_bench: unknown row {unknown[0]} (rows: {", ".join(ROWS)})')
    env = {'KMS_MEASURE_ROUNDS': str(args.rounds), 'KMS_MEASURE_FRAMES': str(args.frames),
           'KMS_MEASURE_SIZES': '800x600', 'KMS_MEASURE_PATTERNS': 'all',
           'KMS_MEASURE_PATHS': ' '.join(ROWS[r] for r in rows),
           'KMS_MEASURE_TILES': str(args.tiles)}
    cmd = [str(ROOT / 'tests/vm/run'), '--build-dir', str(build), '--kernel', args.kernel,
           '--display', args.display, '--name', 'kms-vm-bench']
    cmd += [f'--env={k}={v}' for k, v in env.items()]
    runs_est = len(rows) * 2 * args.rounds
    # The VM's own bound: each run at most its frames at 60 fps four times over, plus start-up.
    cmd += [f'--timeout={int(120 + runs_est * (args.frames / 60 * 4 + 60))}']
    cmd += ['--', str(ROOT / 'tests/vm/kms/measure.sh'),
            str(build / 'tests/vm/kms/kms_vm_check'), str(build / 'udmaview')]
    # Per run at most ~1200 frames at 60 fps plus start-up; the VM's own timeout bounds it.
    tile_rows = [r for r in rows if not r.startswith('plane')] if args.tiles > 1 else []
    runs = (len(rows) + len(tile_rows)) * args.rounds
    print(f'kms_vm_bench: {runs} runs of {args.frames} frames in one VM '
          f'(kernel {args.kernel}, {args.display})...', file=sys.stderr, flush=True)
    proc = subprocess.run(cmd, capture_output=True, text=True,
                          timeout=120 + runs * (args.frames / 60 * 4 + 60))
    results = parse(proc.stdout)
    if proc.returncode != 0 or not results:
        sys.stderr.write(proc.stdout[-4000:] + proc.stderr[-4000:])
        sys.exit(f'kms_vm_bench: the VM run failed (exit {proc.returncode})')
    for rec in (r for rounds in results.values() for r in rounds.values()):
        if 'error' in rec:
            print(f"kms_vm_bench: {rec['error']}", file=sys.stderr)
    print(f'{args.display}, 800x600 demo, 1024x768 mode, --scale fit, {args.frames} frames at '
          f'60 fps, {args.rounds} rounds (median [min-max]), kernel {args.kernel}\n')
    print(table(results, 'single', rows))
    print(f"\npixman CPU per frame / copy-1:1's (per round): "
          f"{ratio(results, 'single', 'pixman', 'copy-1:1')}")
    if args.tiles > 1:
        print(f'\n{args.tiles} tiles of 400x300 (CPU: whole process per presented frame)\n')
        print(table(results, 'tiles', tile_rows))
        print(f"\npixman CPU per frame / copy-1:1's (per round): "
              f"{ratio(results, 'tiles', 'pixman', 'copy-1:1')}")
    return 0


if __name__ == '__main__':
    sys.exit(main())
