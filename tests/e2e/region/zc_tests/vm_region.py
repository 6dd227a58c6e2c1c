# SPDX-License-Identifier: MIT
"""zerocopy-region-headless, zerocopy-region-kms: case (a) nested. The ramfb guest runs inside
the test-bed VM, where our udmabuf.ko gives /dev/udmabuf, so the region source makes a real
dma-buf over QEMU's memfd pages. The pixel checks follow on the host (zc_e2e.py check)."""

import json
import os
import signal
import time

from udmaview_test import kernel as kernels
from udmaview_test import timing
from udmaview_test.tap import check, log

from . import viewer
from .nested import frame_checks, out_dir, outer_screendump, udmabufs
from .pixels import write_manifest
from .region import RegionCase


def run(args):
    out = out_dir(args)
    check(os.path.exists('/dev/udmabuf'), '/dev/udmabuf exists (our udmabuf.ko)')
    boot = args.boot or 'bare'
    kernel = kernels.cached(args.vm_cache) if boot != 'bare' else None
    case = RegionCase(args, out, ram_mb=256, boot_timeout=200)
    t0 = time.monotonic()
    buf_bytes = []

    def bufinfo_now():
        buf_bytes.extend(udmabufs())
        log(f'udmabuf dma-bufs alive while udmaview shows the frame: {buf_bytes}')

    try:
        case.boot(kernel, boot)
        if args.output == 'headless':
            compare = headless(case, bufinfo_now)
        else:
            compare = kms(case, bufinfo_now)
        enclosing = case.enclosing_bytes()
        check(enclosing in buf_bytes, f'a udmabuf of the framebuffer\'s {enclosing} bytes '
              f'existed while udmaview ran ({buf_bytes})')
    finally:
        case.shutdown()
    manifest = case.manifest(compare)
    case.results['wall_in_vm_s'] = round(time.monotonic() - t0, 1)
    manifest['results'] = case.results
    write_manifest(out, manifest)
    log('results:', json.dumps(case.results))
    log('pixel checks follow on the host (zc_e2e.py check)')


def headless(case, bufinfo_now):
    """A still frame and a damage run to PNG (mmap of the dma-buf)."""
    png, ppm, timing_data = case.still_frame('still', ['--output', 'headless'])
    frame_checks('still', timing_data['frames'], 'mmap dma-buf', 1)
    png2, timing2 = case.damage_run('damage', ['--output', 'headless'], during=bufinfo_now)
    case.check_damage('damage', timing2)
    frame_checks('damage', timing2['frames'], 'mmap dma-buf', 1)
    ppm2 = case.out / 'damage-inner.ppm'
    case.inner_screendump(ppm2)
    case.guest_quit(60)
    return [{'a': png.name, 'b': ppm.name}, {'a': png.name, 'b': 'pattern'},
            {'a': png2.name, 'b': ppm2.name}, {'a': png2.name, 'b': 'pattern+rect'}]


def kms(case, bufinfo_now):
    """The dma-buf scanned out on the outer cirrus (PRIME import, DirtyFB damage); then the
    inner QEMU is killed while udmaview shows it."""
    out = case.out
    timing_path = out / 'kms-timing.json'
    errlog = out / 'kms.log'
    # One scan a second: the stop for the rectangle comes about 0.6 s after frame 1, in the
    # middle of the quiet time between scans, so the rectangle's tiles never split over two
    # frames (at 60 Hz a loaded machine sometimes stopped udmaview halfway through a scan).
    argv = case.udmaview('--fps', '1', '--output', 'kms', '--mode', f'{case.w}x{case.h}',
                         '--timing', str(timing_path), '--verbose')
    with viewer.start(argv, out, 'kms') as proc:
        viewer.wait_line(errlog, r'frame 1 presented', proc, 90)
        time.sleep(0.5)
        outer_screendump(out / 'kms-1.ppm')
        case.qmp.cmd('screendump', filename=str(out / 'kms-1-inner.ppm'))
        t = case.rect_while_stopped(proc)
        bufinfo_now()
        proc.send_signal(signal.SIGCONT)
        viewer.wait_line(errlog, r'frame 2 presented', proc, 60)
        case.results['rect_to_presented_s'] = round(time.monotonic() - t, 2)
        time.sleep(0.5)
        outer_screendump(out / 'kms-2.ppm')
        case.qmp.cmd('screendump', filename=str(out / 'kms-2-inner.ppm'))
        case.qmp.close()
        case.qmp = None
        rc = viewer.kill_qemu_under(proc, case.guest)
    text = errlog.read_text(errors='replace')
    check(rc == 0, f'kms: udmaview exit status 0 after QEMU died (got {rc})')
    check('exited; stopping' in text, 'kms: udmaview says the region\'s owner exited')
    timing_data = timing.load(timing_path)
    case.check_damage('kms', timing_data)
    frame_checks('kms', timing_data['frames'], 'import', 1)
    return [{'a': 'kms-1.ppm', 'b': 'pattern'}, {'a': 'kms-1-inner.ppm', 'b': 'pattern'},
            {'a': 'kms-2.ppm', 'b': 'pattern+rect'}, {'a': 'kms-2-inner.ppm', 'b': 'pattern+rect'}]
