# SPDX-License-Identifier: MIT
"""udmaview runs of the zero-copy cases: output (stdout and stderr) in <out>/<name>.log."""

import re
import signal
import subprocess
from pathlib import Path

from udmaview_test import procs
from udmaview_test.tap import Failed, log


def start(argv, out: Path, name):
    """udmaview in the background; owned (killed by PID on every path)."""
    return procs.start(name, argv, stdout=out / f'{name}.log', stderr=subprocess.STDOUT)


def run(argv, out: Path, name, timeout):
    """udmaview to completion (killed after timeout); (exit status, its log text)."""
    with start(argv, out, name) as proc:
        try:
            rc = proc.wait(timeout)
        except Failed:
            raise Failed(f'{name} did not finish within {timeout} s:\n'
                         f'{procs.read_text(out / f"{name}.log")[-1500:]}') from None
    return rc, procs.read_text(out / f'{name}.log')


def wait_log(path: Path, proc, what, done, timeout):
    """Until done(the log's text) holds; Failed, with the log's tail, when proc exits first
    or after timeout seconds."""
    try:
        procs.wait_until(what, lambda: done(procs.read_text(path)), timeout, 0.05, proc)
    except Failed as exc:
        raise Failed(f'{exc}; {path}:\n{procs.read_text(path)[-1500:]}') from None


def wait_line(path: Path, regex, proc, timeout):
    wait_log(path, proc, f'/{regex}/', lambda text: re.search(regex, text), timeout)


def count_presented(path: Path):
    """Frames presented so far ("frame N presented" lines of --verbose): the progress of a
    run still going (the timing file is written at its end)."""
    return len(re.findall(r'frame \d+ presented', procs.read_text(path)))


def wait_presented(path: Path, proc, more_than, timeout):
    wait_log(path, proc, f'frame {more_than + 1} presented',
             lambda _: count_presented(path) > more_than, timeout)


def kill_qemu_under(proc, guest, timeout=60):
    """Robustness: the inner QEMU dies (SIGKILL) while udmaview proc shows its memory;
    udmaview's exit status. The caller has closed its QMP connection."""
    log(f'killing the inner QEMU (pid {guest.proc.pid}) while udmaview shows it')
    guest.proc.kill(signal.SIGKILL)
    try:
        return proc.wait(timeout)
    except Failed:
        raise Failed(f'udmaview did not stop within {timeout} s after QEMU died') from None
