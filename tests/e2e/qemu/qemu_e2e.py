#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""End-to-end tests of udmaview's QEMU source against a real qemu-system-x86_64: the machine's
(7.2), or QEMU 10.0 from an extracted prefix (--qemu-prefix DIR, or --fetch-qemu SCRIPT, which
fills --vm-cache once).

Every test owns what it starts (dbus-daemon, QEMU, udmaview, qemu-driver, the fake peer):
each process is bounded by a timeout and killed by its PID on every path. The cases are the
modules of qemu_tests/.
Usage: qemu_e2e.py TEST --udmaview PATH --driver PATH --fake-peer PATH [--qemu-prefix DIR]
"""
import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / 'lib'))

from qemu_tests import (input_key, linux_fb, linux_fb16, linux_virtio_gpu, peer,  # noqa: E402
                        peer_flood, peer_shrink, peer_ui_info, qemu_killed, reconnect,
                        sdl_guest_size, sdl_input, seabios, soak, two_guests, viewer_first,
                        wrong_console)
from qemu_tests.env import DBUS_DAEMON, Env  # noqa: E402
from udmaview_test import procs, tap  # noqa: E402
from udmaview_test.qemu import Qemu, QemuUnavailable, fetch_qemu10  # noqa: E402
from udmaview_test.tap import Failed, Skipped, log  # noqa: E402

TESTS = {
    'seabios-bus': seabios.bus,
    'seabios-p2p': seabios.p2p,
    'input-key': input_key.run,
    'qemu-killed': qemu_killed.run,
    'viewer-first': viewer_first.run,
    'reconnect': reconnect.run,
    'wrong-console': wrong_console.run,
    'fake-peer': peer.run,
    'fake-peer-shrink': peer_shrink.headless,
    'fake-peer-flood': peer_flood.run,
    'fake-peer-ui-info': peer_ui_info.run,
    'fake-peer-shrink-sdl': peer_shrink.sdl,
    'linux-fb': linux_fb.run,
    'linux-fb16': linux_fb16.run,
    'linux-virtio-gpu': linux_virtio_gpu.run,
    'sdl-input': sdl_input.run,
    'sdl-guest-size': sdl_guest_size.run,
    'sdl-guest-size-vga': sdl_guest_size.vga,
    'sdl-guest-size-bench': sdl_guest_size.bench,  # a benchmark, not a test
    'two-guests': two_guests.run,
    'soak': soak.run,  # bench/soak's QEMU rows; not a test (no meson test runs it)
}


def check_glib_warnings(tmp):
    """GLib's CRITICAL/WARNING lines mean API misuse in the viewer: a failure too."""
    for name in sorted(os.listdir(tmp)):
        if name.endswith('.err') and name.startswith(('udmaview', 'driver')):
            text = procs.read_text(os.path.join(tmp, name))
            bad = [line for line in text.splitlines()
                   if '-CRITICAL **' in line or '-WARNING **' in line]
            if bad:
                raise Failed(f'{name}: {bad[:3]}')


def show_stderr(tmp):
    for name in sorted(os.listdir(tmp)):
        if name.endswith('.err'):
            log(f'--- {name}:\n' + procs.read_text(os.path.join(tmp, name))[-3000:])


def select_qemu(args) -> Qemu:
    """The QEMU under test; Skipped naming the cause when it cannot run here."""
    try:
        if args.qemu_prefix:
            qemu = Qemu.at_prefix(args.qemu_prefix)
        elif args.fetch_qemu:
            if not args.vm_cache:
                raise Skipped('--fetch-qemu needs --vm-cache')
            qemu = fetch_qemu10(args.vm_cache, args.fetch_qemu)
        else:
            qemu = Qemu.system()
        if not qemu.exists():
            raise Skipped(f'{qemu.binary} missing')
        return qemu
    except QemuUnavailable as exc:
        raise Skipped(f'no QEMU 10.0: {exc}') from None


def run(args):
    if not os.path.exists(DBUS_DAEMON):
        raise Skipped('dbus-daemon missing')
    qemu = select_qemu(args)
    try:
        version = qemu.version()
    except QemuUnavailable as exc:
        raise Skipped(str(exc)) from None
    log(f'QEMU {".".join(map(str, version))}: {" ".join(qemu.argv())}')
    tmp = tempfile.mkdtemp(prefix='udmaview-qemu-')
    env = Env(args, tmp, qemu, version)
    ok = False
    try:
        TESTS[args.test](env)
        check_glib_warnings(tmp)
        ok = True
    except Skipped:
        ok = True
        raise
    finally:
        env.stop()
        if not ok:
            show_stderr(tmp)
        if args.keep or not ok:
            log(f'files kept in {tmp}')
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('test', choices=sorted(TESTS))
    ap.add_argument('--udmaview', required=True)
    ap.add_argument('--driver', required=True)
    ap.add_argument('--fake-peer', required=True)
    ap.add_argument('--fbguest')
    ap.add_argument('--fetch-kernel')
    ap.add_argument('--vm-cache')
    ap.add_argument('--qemu-prefix', help='an extracted QEMU (dpkg -x) instead of the PATH one')
    ap.add_argument('--fetch-qemu', help='fetch-qemu10: fetch QEMU 10.0 into --vm-cache, use it')
    ap.add_argument('--expect-map', action='store_true',
                    help='linux-virtio-gpu, linux-fb16: require the Listener.Unix.Map path '
                         '(QEMU >= 9.2)')
    ap.add_argument('--keep', action='store_true', help='keep the temporary directory')
    args = ap.parse_args()
    tap.set_name(args.test)
    procs.install_signal_handlers()
    return tap.main(run, args)


if __name__ == '__main__':
    sys.exit(main())
