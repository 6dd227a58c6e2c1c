#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The Python test library (tests/lib/udmaview_test) on its own: cpio round trip through the
system's cpio, QMP against a scripted socket, process groups killed on timeout and with their
parent, TAP exit statuses, pixel comparison, the timing JSON's source counters."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
import unittest
from pathlib import Path

sys.dont_write_bytecode = True
LIB = Path(__file__).resolve().parents[1] / 'lib'
sys.path.insert(0, str(LIB))

from udmaview_test import cpio, images, procs, qemu, qmp, tap, timing  # noqa: E402


def alive(pid: int) -> bool:
    """pid exists and is not a zombie."""
    try:
        return Path(f'/proc/{pid}/stat').read_text().rsplit(')', 1)[1].split()[0] != 'Z'
    except FileNotFoundError:
        return False


def wait_gone(pid: int, timeout: float = 5) -> bool:
    deadline = time.monotonic() + timeout
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not alive(pid)


class CpioTest(unittest.TestCase):
    @unittest.skipUnless(shutil.which('cpio'), 'no cpio tool')
    def test_round_trip(self):
        with tempfile.TemporaryDirectory() as tmp:
            archive = Path(tmp) / 'a.cpio'
            with cpio.CpioWriter(archive) as w:
                w.directory('bin')
                w.file('bin/tool', b'#!/bin/sh\necho hi\n', 0o755)
                w.file('odd', b'x' * 5)  # not a multiple of 4: padding
                w.file('empty', b'')
            out = Path(tmp) / 'x'
            out.mkdir()
            with open(archive, 'rb') as f:
                proc = subprocess.run(['cpio', '-i', '-d', '--quiet', '-H', 'newc'], stdin=f,
                                      cwd=out, capture_output=True)
            self.assertEqual(proc.returncode, 0, proc.stderr)
            self.assertEqual((out / 'bin/tool').read_bytes(), b'#!/bin/sh\necho hi\n')
            self.assertEqual((out / 'bin/tool').stat().st_mode & 0o777, 0o755)
            self.assertEqual((out / 'odd').read_bytes(), b'xxxxx')
            self.assertEqual((out / 'empty').read_bytes(), b'')
            self.assertEqual(archive.stat().st_size % 4, 0)


class FakeQemu(threading.Thread):
    """A QMP server that answers from a script and records what it was sent."""

    def __init__(self, path: Path, replies):
        super().__init__(daemon=True)
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(str(path))
        self.server.listen(1)
        self.replies = replies
        self.received = []

    def run(self):
        conn, _ = self.server.accept()
        self.server.close()
        with conn, conn.makefile('rwb') as f:
            f.write(b'{"QMP": {"version": {}, "capabilities": []}}\n')
            f.flush()
            for reply in self.replies:
                line = f.readline()
                if not line:
                    return
                self.received.append(line.decode().strip())
                f.write(reply.encode() + b'\n')
                f.flush()


class QmpTest(unittest.TestCase):
    def test_commands_events_errors(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / 'qmp.sock'
            fake = FakeQemu(path, ['{"return": {}}',
                                   '{"event": "STOP"}\n{"return": {"status": "paused"}}',
                                   '{"error": {"class": "GenericError", "desc": "no"}}'])
            fake.start()
            with qmp.Qmp.connect(path, timeout=5) as q:
                self.assertEqual(q.cmd('query-status'), {'status': 'paused'})
                with self.assertRaises(qmp.QmpError) as err:
                    q.cmd('screendump', filename='/x')
                self.assertIn('GenericError', str(err.exception))
            fake.join(5)
            self.assertEqual(fake.received[0], '{"execute": "qmp_capabilities"}')
            self.assertEqual(fake.received[2],
                             '{"execute": "screendump", "arguments": {"filename": "/x"}}')

    def test_connect_gives_up_when_qemu_is_gone(self):
        with self.assertRaises(qmp.QmpError):
            qmp.Qmp.connect('/nonexistent/qmp.sock', timeout=30, alive=lambda: False)


class ProcsTest(unittest.TestCase):
    def test_wait_times_out_and_kill_ends_the_group(self):
        with tempfile.TemporaryDirectory() as tmp:
            pidfile = Path(tmp) / 'child'
            with procs.start('sh', ['sh', '-c', f'sleep 100 & echo $! > {pidfile}; wait'],
                             quiet=True) as p:
                procs.wait_until('the grandchild', pidfile.exists, 5, 0.02)
                with self.assertRaises(tap.Failed):
                    p.wait(0.2)
                grandchild = int(procs.wait_until('its pid', pidfile.read_text, 5).strip())
                self.assertTrue(alive(grandchild))
            self.assertFalse(p.running())
            self.assertTrue(wait_gone(grandchild), 'the grandchild outlived its group')

    def test_a_stopped_process_is_killed(self):
        p = procs.start('sleep', ['sleep', '100'], quiet=True)
        p.send_signal(signal.SIGSTOP)
        self.assertEqual(p.kill(grace=5), -signal.SIGTERM)

    def test_children_die_with_the_test(self):
        """A test killed by SIGKILL (no cleanup runs) still takes its children along."""
        script = textwrap.dedent(f'''
            import sys, time
            sys.path.insert(0, {str(LIB)!r})
            from udmaview_test import procs
            p = procs.start('sleep', ['sleep', '100'], quiet=True)
            print(p.pid, flush=True)
            time.sleep(100)
        ''')
        test = subprocess.Popen([sys.executable, '-c', script], stdout=subprocess.PIPE)
        try:
            child = int(test.stdout.readline())
            self.assertTrue(alive(child))
            test.kill()
            test.wait(5)
            self.assertTrue(wait_gone(child), 'the child outlived the killed test')
        finally:
            test.stdout.close()
            if test.poll() is None:
                test.kill()
                test.wait()

    def test_signal_ends_the_test_through_its_cleanup(self):
        script = textwrap.dedent(f'''
            import sys, time
            sys.path.insert(0, {str(LIB)!r})
            from udmaview_test import procs
            procs.install_signal_handlers()
            with procs.start('sleep', ['sleep', '100'], quiet=True) as p:
                print(p.pid, flush=True)
                time.sleep(100)
        ''')
        test = subprocess.Popen([sys.executable, '-c', script], stdout=subprocess.PIPE)
        with test:
            child = int(test.stdout.readline())
            test.terminate()
            self.assertEqual(test.wait(10), 128 + signal.SIGTERM)
            self.assertFalse(alive(child))


class TapTest(unittest.TestCase):
    def run_body(self, body: str):
        script = (f'import sys\nsys.path.insert(0, {str(LIB)!r})\n'
                  'from udmaview_test import tap\n'
                  'def body():\n' + textwrap.indent(body, '    ') +
                  '\nsys.exit(tap.main(body))\n')
        proc = subprocess.run([sys.executable, '-c', script], capture_output=True, text=True,
                              timeout=30)
        return proc.returncode, proc.stdout

    def test_exit_statuses(self):
        rc, out = self.run_body("tap.check(True, 'one')\ntap.check(True, 'two')")
        self.assertEqual((rc, out.splitlines()[:3]), (0, ['ok 1 - one', 'ok 2 - two', '1..2']))
        rc, out = self.run_body('pass')
        self.assertEqual((rc, out.splitlines()[:2]), (0, ['ok 1 - test: every step held', '1..1']))
        rc, out = self.run_body("tap.check(True, 'one')\ntap.check(False, 'two')")
        self.assertEqual((rc, out.splitlines()[:3]),
                         (1, ['ok 1 - one', 'not ok 2 - two', '1..2']))
        rc, out = self.run_body("tap.expect(False, 'soft')\ntap.check(True, 'hard')")
        self.assertEqual((rc, out.splitlines()[:3]),
                         (1, ['not ok 1 - soft', 'ok 2 - hard', '1..2']))
        rc, out = self.run_body("raise tap.Skipped('no Xvfb')")
        self.assertEqual((rc, out.splitlines()[0]), (77, '1..0 # SKIP no Xvfb'))
        rc, out = self.run_body("raise KeyError('bug')")
        self.assertEqual(rc, 1)
        self.assertIn("not ok 1 - KeyError: 'bug'", out)


class ImagesTest(unittest.TestCase):
    def test_compare(self):
        a = images.from_rgb(4, 3, bytes(range(36)))
        b = a.copy()
        self.assertEqual(images.compare(a, b).differing, 0)
        b.putpixel((2, 1), (17, 19, 21))  # was (18, 19, 20)
        diff = images.compare(a, b)
        self.assertEqual((diff.differing, diff.worst), (1, 1))
        self.assertEqual(diff.first, (2, 1, (18, 19, 20), (17, 19, 21)))
        self.assertEqual(images.compare(a, b, tolerance=1).differing, 0)
        with self.assertRaises(tap.Failed):
            images.compare(a, images.from_rgb(3, 4, bytes(36)))

    def test_ppm_and_png_decode_alike(self):
        with tempfile.TemporaryDirectory() as tmp:
            ppm = Path(tmp) / 'a.ppm'
            ppm.write_bytes(b'P6\n# QEMU\n2 1\n255\n' + bytes([1, 2, 3, 250, 251, 252]))
            png = Path(tmp) / 'a.png'
            images.load(ppm).save(png)
            self.assertEqual(images.load(png).tobytes(), bytes([1, 2, 3, 250, 251, 252]))
            self.assertEqual(images.size(png), (2, 1))


class TimingTest(unittest.TestCase):
    def test_source_counters(self):
        counters = dict.fromkeys(timing.SOURCE_COUNTERS, 0)
        self.assertEqual(timing.source_counters({'summary': {'source_counters': counters}}),
                         counters)
        with self.assertRaisesRegex(tap.Failed, 'no "source_counters"'):
            timing.source_counters({'summary': {}})
        del counters['rejected']
        with self.assertRaisesRegex(tap.Failed, 'lacks integer rejected'):
            timing.source_counters({'summary': {'source_counters': counters}})


class QemuTest(unittest.TestCase):
    """An extracted prefix runs with its own firmware and modules; a failed fetch says why."""

    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp(prefix='testlib-qemu-'))

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def script(self, path: Path, body: str) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text('#!/bin/sh\n' + body)
        path.chmod(0o755)
        return path

    def test_prefix(self):
        p = self.tmp / 'prefix'
        # The fake QEMU reports its module directory: the version check runs in its env.
        self.script(p / 'usr/bin/qemu-system-x86_64',
                    'echo "QEMU emulator version 10.0.2 (mod $QEMU_MODULE_DIR)"\n')
        q = qemu.Qemu.at_prefix(p)
        self.assertEqual(q.argv(), [str(p / 'usr/bin/qemu-system-x86_64'),
                                    '-L', str(p / 'usr/share/qemu'),
                                    '-L', str(p / 'usr/share/seabios')])
        self.assertEqual(q.environ({'A': '1'}),
                         {'A': '1', 'QEMU_MODULE_DIR': str(p / qemu.MODULE_SUBDIR)})
        self.assertEqual(q.version(), (10, 0, 2))
        out = subprocess.run(q.argv()[:1], env=q.environ(), capture_output=True, text=True)
        self.assertIn(f'mod {p / qemu.MODULE_SUBDIR})', out.stdout)
        self.assertIsNone(qemu.Qemu.system().environ())

    def test_fetch(self):
        ok = self.script(self.tmp / 'ok', f'echo progress >&2; echo {self.tmp}/P\n')
        self.assertEqual(qemu.fetch_qemu10(self.tmp, ok).binary,
                         f'{self.tmp}/P/usr/bin/qemu-system-x86_64')
        bad = self.script(self.tmp / 'bad', 'echo "fetch-qemu10: error: no registry" >&2\n'
                                            'exit 1\n')
        with self.assertRaisesRegex(qemu.QemuUnavailable, 'exit 1.*error: no registry'):
            qemu.fetch_qemu10(self.tmp, bad)
        broken = qemu.Qemu(str(self.script(self.tmp / 'q', 'echo nonsense\n')))
        with self.assertRaisesRegex(qemu.QemuUnavailable, '-version failed'):
            broken.version()


if __name__ == '__main__':
    unittest.main(verbosity=2)
