# SPDX-License-Identifier: MIT
"""The QMP client: one JSON command per line, events skipped.

Qmp.connect() dials QEMU's server socket (-qmp unix:PATH,server=on); Qmp(sock) takes a
connection QEMU made to us (tests/vm/run listens, -chardev socket,server=off). The greeting
and capability negotiation happen on the first command.
"""

import json
import socket
import time

from .tap import Failed


class QmpError(Failed):
    """QEMU answered a command with an error, or the connection failed; .reply holds QEMU's
    reply when there was one."""

    def __init__(self, message, reply=None):
        super().__init__(message)
        self.reply = reply


class Qmp:
    def __init__(self, sock: socket.socket, timeout: float = 60):
        sock.settimeout(timeout)
        self._sock = sock
        self._file = sock.makefile('rwb')
        self._ready = False

    @classmethod
    def connect(cls, path, timeout: float = 30, alive=None, reply_timeout: float = 60):
        """Connects to a QMP server socket, retrying until timeout seconds or until alive()
        (e.g. the QEMU process is running) is false."""
        deadline = time.monotonic() + timeout
        while True:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                sock.connect(str(path))
                break
            except OSError as exc:
                sock.close()
                if (alive is not None and not alive()) or time.monotonic() > deadline:
                    raise QmpError(f'cannot connect to QMP at {path}: {exc} (did QEMU start? '
                                   'see its stderr)') from None
                time.sleep(0.1)
        qmp = cls(sock, reply_timeout)
        qmp._negotiate()
        return qmp

    def _read(self) -> dict:
        try:
            line = self._file.readline()
        except OSError as exc:
            raise QmpError(f'QMP read failed: {exc}') from None
        if not line:
            raise QmpError('QMP connection closed by QEMU')
        return json.loads(line)

    def _send(self, msg: dict) -> dict:
        self._file.write(json.dumps(msg).encode() + b'\n')
        self._file.flush()
        while True:
            reply = self._read()
            if 'return' in reply or 'error' in reply:
                return reply

    def _negotiate(self) -> None:
        if not self._ready:
            self._read()  # greeting
            self._send({'execute': 'qmp_capabilities'})
            self._ready = True

    def execute(self, msg: dict) -> dict:
        """QEMU's whole reply ({'return': ...} or {'error': ...}) to one command object."""
        self._negotiate()
        return self._send(msg)

    def cmd(self, name: str, **arguments):
        """The 'return' value of one command; QmpError when QEMU answers with an error."""
        msg = {'execute': name}
        if arguments:
            msg['arguments'] = arguments
        reply = self.execute(msg)
        if 'error' in reply:
            raise QmpError(f'QMP {name}: {reply["error"]}', reply)
        return reply['return']

    def hmp(self, line: str) -> str:
        return self.cmd('human-monitor-command', **{'command-line': line})

    def close(self) -> None:
        for obj in (self._file, self._sock):
            try:
                obj.close()
            except OSError:
                pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False
