#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Zero-copy end to end: a real QEMU 7.2 guest's own framebuffer pages shown by udmaview.

    zc_e2e.py host-region   [options]   case (a) on the host (suite e2e)
    zc_e2e.py vm-region     [options]   case (a) inside the VM test bed (suite vm), --output
                                        headless or kms
    zc_e2e.py vm-blob       [options]   case (b) inside the VM test bed (suite vm)
    zc_e2e.py check OUT_DIR             the host-side pixel checks of a vm-* run (manifest.json)

Case (a): the inner guest's framebuffer is one linear block of its RAM, RAM being QEMU's
memory-backend-memfd: ramfb, shown by Linux's vesafb (Debian's 6.1 kernel, SeaBIOS,
`vga=0x344`; zc_fbguest in a busybox initramfs) or written by the bare-metal zc_pvhguest. The
guest prints the framebuffer's physical address and draws a known pattern; udmaview's region
source makes one dma-buf over those pages of QEMU's memfd (/proc/PID/fd/N) and shows it.
Case (b): zc_pvhguest puts its framebuffer in scattered pages of a virtio-gpu blob resource;
QEMU makes the dma-buf and sends it over -display dbus (gl=on); udmaview --source qemu-p2p.
See docs/zero-copy.md. The cases are the modules of zc_tests/.

Every process this script starts (QEMU, udmaview) is bounded by a timeout and killed by its
PID on every path, and dies with this script.
"""

import argparse
import json
import sys
from pathlib import Path

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / 'lib'))

from udmaview_test import procs, tap  # noqa: E402
from udmaview_test.tap import Failed, log  # noqa: E402
from zc_tests import host_region, vm_blob, vm_region  # noqa: E402
from zc_tests.pixels import run_checks  # noqa: E402


def check(args):
    """The host-side pixel checks of a vm-* run."""
    out = Path(args.dir)
    results = {}
    manifest = json.loads((out / 'manifest.json').read_text())
    failures = run_checks(out, manifest, results)
    log('results:', json.dumps({**manifest.get('results', {}), **results}))
    if failures:
        raise Failed(f'{failures} pixel checks failed (artefacts in {out})')


CASES = {'host-region': host_region.run, 'vm-region': vm_region.run, 'vm-blob': vm_blob.run,
         'check': check}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('case', choices=tuple(CASES))
    parser.add_argument('dir', nargs='?', help='check: the out dir')
    parser.add_argument('--udmaview')
    parser.add_argument('--fbguest', help='zc_fbguest (static, runs under the guest\'s Linux)')
    parser.add_argument('--pvhguest', help='zc_pvhguest (bare-metal PVH guest)')
    parser.add_argument('--vm-cache')
    parser.add_argument('--fetch-kernel')
    parser.add_argument('--out')
    parser.add_argument('--output', choices=('headless', 'kms'), default='headless')
    parser.add_argument('--boot', choices=('bzimage', 'pvh', 'bare'), default=None,
                        help='inner guest: bzimage (Linux, vesafb; host default), pvh (Linux '
                        'vmlinux, ramfb via /dev/mem) or bare (zc_pvhguest; VM default)')
    args = parser.parse_args()
    tap.set_name(f'zc {args.case}')
    procs.install_signal_handlers()
    return tap.main(CASES[args.case], args)


if __name__ == '__main__':
    sys.exit(main())
