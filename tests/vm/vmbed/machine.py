# SPDX-License-Identifier: MIT
"""One QEMU run: start, stream the serial console, serve QMP and the guest control channel.

The host runner owns both unix sockets; QEMU connects to them at start-up (server=off), so
there is no polling for sockets. The guest reaches QMP only through the control channel
(virtio-serial port 'udmaview.ctl', tests/vm/vmctl): one JSON request per line, one text
reply per line:
    {"op": "screendump", "file": "/abs/path.png"}  -> "ok" | "error MESSAGE"
    {"op": "qmp", "command": {...}}                 -> "ok REPLY-JSON" | "error REPLY-JSON"
"""

import dataclasses
import json
import os
import re
import selectors
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from udmaview_test import procs
from udmaview_test.qmp import Qmp
from udmaview_test.tap import Failed

MARKER = re.compile(r'@@VM-([A-Z-]+)(?: ([^@]*))?@@')


class VmError(Failed):
    """The VM run failed for a reason other than the test's own exit status."""


class VmTimeout(VmError):
    pass


def listen_unix(path: Path) -> socket.socket:
    if path.exists() or path.is_symlink():
        path.unlink()
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(str(path))
    sock.listen(1)
    return sock


@dataclasses.dataclass
class Timeline:
    """Wall-clock seconds since QEMU started, and the guest's own uptime at the markers."""
    booted: float = None
    test_start: float = None
    test_exit: float = None
    done: float = None
    guest_booted: float = None
    guest_test_start: float = None
    guest_test_exit: float = None


@dataclasses.dataclass
class Outcome:
    test_rc: int = None
    checks: dict = dataclasses.field(default_factory=dict)
    done: bool = False
    timeline: Timeline = dataclasses.field(default_factory=Timeline)
    qemu_rc: int = None
    wall: float = 0.0
    last_line: str = ''


class ControlChannel:
    """Serves the guest's vmctl requests (line-based JSON) using QMP."""

    def __init__(self, conn: socket.socket, qmp_getter, out_dir: Path, log):
        self.conn = conn
        self._qmp = qmp_getter
        self._out_dir = out_dir.resolve()
        self._log = log
        self._buf = b''

    def on_readable(self) -> bool:
        """Handle the complete request lines; False when QEMU closed the channel."""
        data = self.conn.recv(65536)
        if not data:
            return False
        self._buf += data
        while b'\n' in self._buf:
            line, self._buf = self._buf.split(b'\n', 1)
            if line.strip():
                reply = self._handle(line).replace('\n', ' ')
                self.conn.sendall(reply.encode() + b'\n')
        return True

    def _handle(self, line: bytes) -> str:
        try:
            request = json.loads(line)
            if request.get('op') == 'screendump':
                return self._screendump(request.get('file', ''))
            if request.get('op') == 'qmp':
                reply = self._qmp().execute(request['command'])
                return ('error ' if 'error' in reply else 'ok ') + json.dumps(reply)
            return f'error unknown op {request.get("op")!r}'
        except (ValueError, KeyError, TypeError, AttributeError, OSError, Failed) as exc:
            return f'error {type(exc).__name__}: {exc}'

    def _screendump(self, file: str) -> str:
        path = Path(file)
        if not path.is_absolute() or self._out_dir not in path.resolve().parents:
            return f'error {file} is not inside the out dir {self._out_dir}'
        self._log(f'screendump {path}')
        reply = self._qmp().execute({'execute': 'screendump',
                                     'arguments': {'filename': str(path), 'format': 'png'}})
        if 'error' in reply:
            return f'error {reply["error"].get("desc", reply["error"])}'
        return 'ok'


class Console:
    """Splits the serial output into lines, logs them and tracks the markers."""

    def __init__(self, log_file, outcome: Outcome, started: float, echo=True):
        self._log = log_file
        self._outcome = outcome
        self._started = started
        self._echo = echo
        self._partial = b''
        self.last_line = ''

    def feed(self, data: bytes) -> None:
        self._log.write(data)
        self._log.flush()
        if self._echo:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        self._partial += data
        *lines, self._partial = self._partial.split(b'\n')
        for line in lines:
            text = line.decode(errors='replace').rstrip('\r')
            if text.strip():
                self.last_line = text
            for match in MARKER.finditer(text):
                self._on_marker(match.group(1), (match.group(2) or '').split())

    def _on_marker(self, name: str, args: list) -> None:
        now = time.monotonic() - self._started
        out, tl = self._outcome, self._outcome.timeline
        if name == 'BOOTED':
            tl.booted, tl.guest_booted = now, float(args[0])
        elif name == 'TEST-START':
            tl.test_start, tl.guest_test_start = now, float(args[0])
        elif name == 'TEST-EXIT':
            out.test_rc = int(args[0])
            tl.test_exit, tl.guest_test_exit = now, float(args[1])
        elif name == 'CHECK':
            out.checks[args[0]] = args[1] == 'ok'
        elif name == 'DONE':
            out.done, tl.done = True, now


class Machine:
    """Runs QEMU once; always kills it on the way out (use as a context manager)."""

    def __init__(self, sock_dir: Path, out_dir: Path, log_path: Path, log):
        self._sock_dir = sock_dir
        self._out_dir = out_dir
        self._log_path = log_path
        self._log = log
        self.proc = None
        self._qmp = None
        self._qmp_conn = None
        self._ctl = None
        self._listeners = {}

    @property
    def qmp_path(self) -> Path:
        return self._sock_dir / 'qmp.sock'

    @property
    def ctl_path(self) -> Path:
        return self._sock_dir / 'ctl.sock'

    def qemu_socket_args(self) -> list:
        qmp, ctl = (str(p).replace(',', ',,') for p in (self.qmp_path, self.ctl_path))
        return ['-chardev', f'socket,id=qmp,path={qmp},server=off',
                '-mon', 'chardev=qmp,mode=control',
                '-device', 'virtio-serial-pci,id=vser',
                '-chardev', f'socket,id=ctl,path={ctl},server=off',
                '-device', 'virtserialport,bus=vser.0,chardev=ctl,name=udmaview.ctl']

    def __enter__(self):
        self._listeners = {'qmp': listen_unix(self.qmp_path), 'ctl': listen_unix(self.ctl_path)}
        return self

    def __exit__(self, *exc):
        self.kill()
        for sock in list(self._listeners.values()) + [self._qmp_conn,
                                                       self._ctl and self._ctl.conn]:
            if sock:
                sock.close()
        for path in (self.qmp_path, self.ctl_path):
            if path.exists():
                path.unlink()
        return False

    def kill(self) -> None:
        if self.proc and self.proc.running():
            self._log(f'killing QEMU (pid {self.proc.pid})')
        if self.proc:
            self.proc.kill(signal.SIGKILL)

    def qmp(self) -> Qmp:
        if not self._qmp:
            raise VmError('QEMU has not connected to the QMP socket')
        return self._qmp

    def run(self, argv: list, timeout: float, echo=True) -> Outcome:
        """Boot, stream the console until QEMU exits; VmTimeout after timeout seconds."""
        outcome = Outcome()
        started = time.monotonic()
        self.proc = procs.start('qemu', argv, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, quiet=True)
        with open(self._log_path, 'wb') as log_file:
            console = Console(log_file, outcome, started, echo)
            self._loop(console, started + timeout, timeout)
        outcome.last_line = console.last_line
        outcome.qemu_rc = self.proc.wait(30)
        outcome.wall = time.monotonic() - started
        return outcome

    def _loop(self, console: Console, deadline: float, timeout: float) -> None:
        sel = selectors.DefaultSelector()
        sel.register(self.proc.stdout, selectors.EVENT_READ, 'console')
        for name, sock in self._listeners.items():
            sel.register(sock, selectors.EVENT_READ, name)
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise VmTimeout(f'timeout: the VM did not finish within {timeout:.0f} s '
                                f'(last console line: {console.last_line!r})')
            for key, _ in sel.select(min(left, 1.0)):
                if not self._dispatch(sel, key, console):
                    return

    def _dispatch(self, sel, key, console: Console) -> bool:
        """Handle one ready source; False once QEMU's output has ended."""
        if key.data == 'console':
            data = os.read(key.fd, 65536)
            if not data:
                return False
            console.feed(data)
        elif key.data == 'qmp':
            self._qmp_conn, _ = key.fileobj.accept()
            self._qmp = Qmp(self._qmp_conn)  # negotiates on the first command
            sel.unregister(key.fileobj)
        elif key.data == 'ctl':
            conn, _ = key.fileobj.accept()
            self._ctl = ControlChannel(conn, self.qmp, self._out_dir, self._log)
            sel.unregister(key.fileobj)
            sel.register(conn, selectors.EVENT_READ, 'ctl-conn')
        elif key.data == 'ctl-conn':
            if not self._ctl.on_readable():
                sel.unregister(key.fileobj)
        return True
