# SPDX-License-Identifier: MIT
"""zerocopy-region-host, case (a) on the host: no /dev/udmabuf here, so the region source maps
the memfd instead (the frames' path says "mmap memfd"); the pixels and damage are tested."""

import json
import os
import time
from pathlib import Path

from udmaview_test import kernel as kernels
from udmaview_test.tap import Failed, Skipped, check, log

from .guest import QEMU
from .pixels import run_checks, write_manifest
from .region import RegionCase


def run(args):
    if not os.path.exists(QEMU):
        raise Skipped(f'{QEMU} missing (package qemu-system-x86)')
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    try:
        kernel = kernels.fetch(Path(args.vm_cache), args.fetch_kernel)
    except kernels.KernelUnavailable as exc:
        raise Skipped(f'no kernel: {exc}') from None
    case = RegionCase(args, out, ram_mb=256, boot_timeout=120)
    t0 = time.monotonic()
    try:
        case.boot(kernel, args.boot or 'bzimage')
        png, ppm, timing = case.still_frame('still', ['--output', 'headless'])
        path = timing['frames'][0]['path']
        dev = os.path.exists('/dev/udmabuf')
        why = ('exists' if dev else
               'missing: the region source maps the memfd instead (mmap fallback)')
        log(f'frame path: "{path}" (/dev/udmabuf {why})')
        check(path == ('mmap dma-buf' if dev else 'mmap memfd'),
              f'frame path is "{path}" as expected with{"" if dev else "out"} /dev/udmabuf')
        png2, timing2 = case.damage_run('damage', ['--output', 'headless'])
        case.check_damage('damage', timing2)
        ppm2 = out / 'damage-inner.ppm'
        case.inner_screendump(ppm2)
        case.guest_quit(30)
        case.guest.proc.wait(30)
    finally:
        case.shutdown()
    manifest = case.manifest([{'a': png.name, 'b': ppm.name}, {'a': png.name, 'b': 'pattern'},
                              {'a': png2.name, 'b': ppm2.name},
                              {'a': png2.name, 'b': 'pattern+rect'}])
    write_manifest(out, manifest)
    failures = run_checks(out, manifest, case.results)
    case.results['wall_s'] = round(time.monotonic() - t0, 1)
    log('results:', json.dumps(case.results))
    if failures:
        raise Failed(f'{failures} pixel checks failed (artefacts in {out})')
