# SPDX-License-Identifier: MIT
"""udmaview runs of the zero-copy cases: output (stdout and stderr) in <out>/<name>.log."""

import re
import subprocess
import time
from pathlib import Path

from udmaview_test import procs
from udmaview_test.tap import Failed


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


def wait_log(path: Path, regex, proc, timeout):
    """Until regex appears in the log at path; Failed when proc exits first or on timeout."""
    deadline = time.monotonic() + timeout
    pattern = re.compile(regex)
    while time.monotonic() < deadline:
        if pattern.search(procs.read_text(path)):
            return
        if not proc.running():
            raise Failed(f'{path.name}: the process exited ({proc.returncode}) before '
                         f'/{regex}/:\n{procs.read_text(path)[-1500:]}')
        time.sleep(0.05)
    raise Failed(f'no /{regex}/ in {path} after {timeout} s')


def count_presented(path: Path):
    """Frames presented so far ("frame N presented" lines of --verbose): the progress of a
    run still going (the timing file is written at its end)."""
    return len(re.findall(r'frame \d+ presented', procs.read_text(path)))


def wait_presented(path: Path, proc, more_than, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if count_presented(path) > more_than:
            return
        if not proc.running():
            raise Failed(f'udmaview exited ({proc.returncode}):\n'
                         f'{procs.read_text(path)[-1500:]}')
        time.sleep(0.05)
    raise Failed(f'udmaview presented no new frame within {timeout} s:\n'
                 f'{procs.read_text(path)[-1500:]}')


def stop_after_qemu_died(proc, timeout=60):
    """udmaview's exit status once the QEMU it shows was killed."""
    try:
        return proc.wait(timeout)
    except Failed:
        raise Failed(f'udmaview did not stop within {timeout} s after QEMU died') from None
