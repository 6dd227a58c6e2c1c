# SPDX-License-Identifier: MIT
"""What every QEMU end-to-end case sets up: a private dbus-daemon, QEMU (the machine's 7.2 or
an extracted 10.0) with -display dbus, udmaview (headless) and qemu-driver, each owned and
killed by PID; QMP for the ground truth."""

import os
import shutil
import signal
import subprocess
import time

from udmaview_test import images, procs
from udmaview_test.qemu import Qemu
from udmaview_test.qmp import Qmp
from udmaview_test.tap import Failed, log

QEMU = Qemu.system().binary
DBUS_DAEMON = shutil.which('dbus-daemon') or '/usr/bin/dbus-daemon'
KEY_ESC = 1
BTN_LEFT = 0x110


def vga_text(qmp: Qmp) -> str:
    """The 80x25 VGA text screen, read from guest memory (0xb8000)."""
    out = qmp.hmp('xp /4000bx 0xb8000')
    data = []
    for row in out.splitlines():
        if ':' in row:
            data += [int(t, 16) for t in row.split(':', 1)[1].split()]
    chars = bytes(data[0::2])
    return '\n'.join(chars[i:i + 80].decode('latin-1') for i in range(0, 2000, 80))


def compare_to_screendump(png, ppm) -> None:
    """udmaview's PNG dump must equal QEMU's screendump, pixel for pixel."""
    diff = images.compare(png, ppm, names=(png, ppm))
    log(diff.describe(os.path.basename(png), 'the screendump'))
    if diff.differing:
        raise Failed(f'{png}: {diff.differing} pixels differ from the QMP screendump')


class Env:
    """The processes and sockets of one case, in the temporary directory tmp."""

    def __init__(self, args, tmp, qemu: Qemu = None, qemu_version=(0, 0, 0)):
        self.args = args
        self.tmp = tmp
        self.qemu = qemu or Qemu.system()
        self.qemu_version = qemu_version  # (major, minor, micro), when the caller asked QEMU
        self.procs = []
        self.bus = None
        self.qmp = None
        self.qemu_count = 0

    def start(self, name, argv, stdin=subprocess.DEVNULL, env=None):
        """An owned process with its output in <tmp>/<name>.out and .err."""
        p = procs.start(name, argv, stdin=stdin, env=env,
                        stdout=os.path.join(self.tmp, name + '.out'),
                        stderr=os.path.join(self.tmp, name + '.err'))
        self.procs.append(p)
        return p

    def out(self, name) -> str:
        return procs.read_text(os.path.join(self.tmp, name + '.out'))

    def err(self, name) -> str:
        return procs.read_text(os.path.join(self.tmp, name + '.err'))

    def stop(self) -> None:
        if self.qmp:
            self.qmp.close()
        for p in reversed(self.procs):
            p.kill()

    def start_bus(self):
        p = self.start('dbus', [DBUS_DAEMON, '--session', '--nofork', '--nopidfile',
                                '--print-address=1', f'--address=unix:path={self.tmp}/bus'])
        procs.wait_until('the dbus-daemon address', lambda: self.out('dbus').strip(), 10,
                         proc=p)
        # Without the ",guid=…" part: QEMU's option parser would split at its comma.
        self.bus = f'unix:path={self.tmp}/bus'
        log(f'private bus {self.bus} (pid {p.pid})')
        return self.bus

    def start_qemu(self, p2p=False, extra=(), vga='std'):
        self.qemu_count += 1
        n = self.qemu_count
        display = 'dbus,p2p=yes' if p2p else f'dbus,addr={self.bus}'
        argv = [*self.qemu.argv(), '-accel', 'tcg', '-m', '64', '-nodefaults', '-vga', vga,
                '-display', display, '-no-reboot', '-name', f'udmaview-e2e-{n}',
                '-qmp', f'unix:{self.tmp}/qmp-test-{n},server=on,wait=off']
        if p2p:
            argv += ['-qmp', f'unix:{self.tmp}/qmp-viewer,server=on,wait=off']
        argv += list(extra)
        q = self.start(f'qemu-{n}', argv, env=self.qemu.environ())
        if self.qmp:
            self.qmp.close()
            self.qmp = None
        try:
            self.qmp = Qmp.connect(f'{self.tmp}/qmp-test-{n}', 30, alive=q.running)
        except Failed:
            if not q.running():
                raise Failed(f'QEMU exited with {q.returncode}: {self.err(q.name)}') from None
            raise
        return q

    def transports(self):
        """(p2p, viewer name) for the bus (its dbus-daemon started) and peer-to-peer."""
        self.start_bus()
        yield False, 'udmaview-bus'
        yield True, 'udmaview-p2p'

    def source(self, p2p):
        return f'qemu-p2p:{self.tmp}/qmp-viewer' if p2p else f'qemu:{self.bus}'

    def start_viewer(self, name, p2p, *extra):
        return self.start(name, [self.args.udmaview, '--source', self.source(p2p),
                                 '--output', 'headless',
                                 '--dump-png', f'{self.tmp}/{name}.png', *extra])

    def start_driver(self, name, p2p, *extra):
        return self.start(name, [self.args.driver, '--source', self.source(p2p),
                                 '--dump-png', f'{self.tmp}/{name}.png', *extra],
                          stdin=subprocess.PIPE)

    def wait_text(self, text, timeout=60):
        return procs.wait_until(f'"{text}" on the guest screen',
                                lambda: text in vga_text(self.qmp), timeout, 0.3)

    def freeze_and_dump(self, name='screen'):
        """QMP stop, let the last updates arrive, screendump: the ground truth."""
        self.qmp.cmd('stop')
        time.sleep(1.5)
        path = f'{self.tmp}/{name}.ppm'
        self.qmp.cmd('screendump', filename=path)
        return path

    def end_viewer_on_screendump(self, viewer, dump_name='screen'):
        """Freezes the guest, ends the viewer and checks that its last picture (its PNG dump)
        is QEMU's screendump; returns the screendump's path."""
        ppm = self.freeze_and_dump(dump_name)
        time.sleep(0.5)  # the screendump's own refresh reaches the listeners too
        self.end_viewer(viewer)
        compare_to_screendump(f'{self.tmp}/{viewer.name}.png', ppm)
        return ppm

    def end_viewer(self, p):
        rc = p.kill(signal.SIGTERM, 15)
        if rc != 0:
            raise Failed(f'{p.name} exited with {rc}: {self.err(p.name)[-2000:]}')

    def end_driver(self, p):
        p.write('quit\n')
        rc = p.wait(15)
        if rc != 0:
            raise Failed(f'{p.name} exited with {rc}: {self.err(p.name)[-2000:]}')
