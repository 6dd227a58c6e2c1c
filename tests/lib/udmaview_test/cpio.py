# SPDX-License-Identifier: MIT
"""cpio 'newc' archive writer: what the kernel unpacks as an initramfs (uncompressed)."""

import stat
from pathlib import Path


class CpioWriter:
    """`with CpioWriter(path) as cpio:` directory(), file(), chardev(); the trailer is written
    when the block ends."""

    def __init__(self, path: Path):
        self._out = open(path, 'wb')
        self._ino = 1

    def _entry(self, name: str, mode: int, data: bytes = b'', rdev=(0, 0)) -> None:
        # ino mode uid gid nlink mtime filesize devmajor devminor rdevmajor rdevminor
        # namesize check
        fields = [self._ino, mode, 0, 0, 1, 0, len(data), 0, 0, rdev[0], rdev[1],
                  len(name) + 1, 0]
        self._ino += 1
        header = b'070701' + b''.join(b'%08x' % f for f in fields)
        self._write_padded(header + name.encode() + b'\0')
        self._write_padded(data)

    def _write_padded(self, blob: bytes) -> None:
        self._out.write(blob)
        self._out.write(b'\0' * (-len(blob) % 4))

    def directory(self, name: str) -> None:
        self._entry(name, stat.S_IFDIR | 0o755)

    def file(self, name: str, data: bytes, mode: int = 0o644) -> None:
        self._entry(name, stat.S_IFREG | mode, data)

    def chardev(self, name: str, major: int, minor: int) -> None:
        self._entry(name, stat.S_IFCHR | 0o600, rdev=(major, minor))

    def close(self) -> None:
        if not self._out.closed:
            self._entry('TRAILER!!!', 0)
            self._out.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False
