#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Measurement, not a test: the same bare-metal guest (zc_pvhguest) shown three ways for a few
seconds each, with the same 5 guest changes, and what udmaview costs for each.

    copy    ramfb, QEMU 7.2 -display dbus,p2p=yes   udmaview --source qemu-p2p (pixel messages)
    region  ramfb, -display none                    udmaview --source region:/proc/PID/fd/N
    blob    virtio-gpu-pci,blob=true, dbus gl=on    udmaview --source qemu-p2p (ScanoutDMABUF)

Run inside the VM test bed for the dma-buf paths (needs /dev/udmabuf; blob needs a render node):
    tests/vm/run --build-dir build --name zc-measure --mem 2G --timeout 400 -- \\
        tests/e2e/region/zc_measure.py --udmaview build/udmaview \\
        --pvhguest build/tests/e2e/region/zc_pvhguest [--output kms] [--modes copy,region,blob]
Prints one '@@MEAS mode: …@@' line per mode: frames, bytes copied (output and QEMU source),
imports, produced→presented p50, udmaview's CPU time (getrusage of the child).
"""

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / 'lib'))

from udmaview_test import timing  # noqa: E402
from udmaview_test.tap import Failed, log  # noqa: E402
from zc_tests import viewer  # noqa: E402
from zc_tests.guest import FB_RE, QEMU, Guest, find_memfd  # noqa: E402
from zc_tests.nested import render_node  # noqa: E402


def guest_argv(mode, kernel, sock):
    device = (['-device', 'virtio-gpu-pci,blob=true,xres=1024,yres=768'] if mode == 'blob'
              else ['-device', 'ramfb'])
    display = {'copy': 'dbus,p2p=yes', 'region': 'none'}.get(mode)
    if mode == 'blob':
        display = f'dbus,p2p=yes,gl=on,rendernode={render_node()[0]}'
    return [QEMU, '-accel', 'tcg', '-m', '256M', '-smp', '1',
            '-object', 'memory-backend-memfd,id=mem,size=256M,share=on',
            '-machine', 'q35,memory-backend=mem', '-nodefaults', '-no-reboot', '-vga', 'none',
            *device, '-display', display, '-chardev', 'stdio,id=ser,signal=off',
            '-serial', 'chardev:ser', '-kernel', str(kernel),
            '-qmp', f'unix:{sock},server=on,wait=off']


def measure(args, mode, out: Path):
    work = Path(tempfile.mkdtemp(prefix='zc-'))
    guest = proc = None
    try:
        guest = Guest(guest_argv(mode, args.pvhguest, work / 'qmp.sock'), out, f'qemu-{mode}')
        m, pos = guest.wait_for(FB_RE, 200)
        addr = int(m.group(1), 16)
        guest.wait_for(r'@@ZC-PATTERN', 120, pos)
        if mode == 'region':
            memfd, _ = find_memfd(guest.proc.pid)
            source = f'region:{memfd},offset={addr},size=1024x768,format=XR24,stride=4096'
        else:
            source = f'qemu-p2p:{work / "qmp.sock"}'
        timing_path = out / f'measure-{mode}.json'
        argv = [args.udmaview, '--source', source, '--output', args.output,
                '--duration', str(args.seconds), '--timing', str(timing_path)]
        if args.output == 'kms':
            argv += ['--mode', '1024x768']
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        proc = viewer.start(argv, out, f'measure-{mode}')
        time.sleep(min(3, args.seconds / 3))
        for _ in range(5):
            guest.send('rect\n')
            time.sleep(1)
        rc = proc.wait(args.seconds + 60)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        if rc != 0:
            text = (out / f'measure-{mode}.log').read_text(errors='replace')
            raise Failed(f'{mode}: udmaview exit {rc}: {text[-800:]}')
        s = timing.load(timing_path)['summary']
        counters = s.get('source_counters')
        source_bytes = (counters['bytes_copied'] if counters else
                        'none (region source)' if mode == 'region' else 'not reported')
        line = (f'{mode}: {s["frames"]} frames, {s["presented"]} presented; bytes copied: '
                f'output {s["bytes_copied_total"]}, QEMU source {source_bytes}; '
                f'imports {s["imports_total"]}; produced->presented p50 '
                f'{s["produced_to_presented"]["p50_ms"]:.2f} ms; udmaview CPU {cpu:.2f} s '
                f'for {args.seconds} s')
        print(f'@@MEAS {line}@@', flush=True)
        return line
    finally:
        if proc is not None:
            proc.kill()
        if guest:
            guest.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--udmaview', required=True)
    parser.add_argument('--pvhguest', required=True)
    parser.add_argument('--output', default='kms', choices=('kms', 'headless'))
    parser.add_argument('--modes', default='copy,region,blob')
    parser.add_argument('--seconds', type=int, default=10)
    args = parser.parse_args()
    out = Path(os.environ.get('UDMAVIEW_VM_OUT') or tempfile.mkdtemp(prefix='zc-measure-'))
    lines = []
    try:
        for mode in args.modes.split(','):
            lines.append(measure(args, mode, out))
    except Failed as exc:
        log(f'FAIL: {exc}')
        return 1
    (out / 'measure.txt').write_text('\n'.join(lines) + '\n')
    return 0


if __name__ == '__main__':
    sys.exit(main())
