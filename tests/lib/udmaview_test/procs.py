# SPDX-License-Identifier: MIT
"""Child processes a test owns (QEMU, udmaview, Xvfb, dbus-daemon, ...).

Each runs in its own process group and gets SIGKILL when the test process dies, even by
SIGKILL (PR_SET_PDEATHSIG). Process.kill() ends the whole group by its PID (SIGTERM, then
SIGKILL); it runs on every path: `with`, atexit, and SIGTERM/SIGINT/SIGHUP (install_signal_
handlers turns them into SystemExit, so `finally` blocks run).
"""

import atexit
import ctypes
import os
import signal
import subprocess
import time
from pathlib import Path

from .tap import Failed, log

PR_SET_PDEATHSIG = 1
_libc = ctypes.CDLL(None, use_errno=True)
_owned = []


def die_with_parent() -> None:
    """preexec_fn: a new process group (killable as one) that gets SIGKILL with its parent."""
    os.setsid()
    _libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def _open_output(target):
    """A path becomes a file written from the start; anything else goes to Popen as is."""
    if isinstance(target, (str, Path)):
        return open(target, 'wb')
    return target


class Process:
    """One owned child. stdout/stderr: a path (file written from the start), a file object,
    subprocess.PIPE/DEVNULL/STDOUT, or None (inherited)."""

    def __init__(self, name, argv, *, stdin=subprocess.DEVNULL, stdout=None, stderr=None,
                 env=None, pass_fds=(), quiet=False):
        self.name = name
        self.argv = [str(a) for a in argv]
        files = [_open_output(stdout), _open_output(stderr)]
        try:
            self.popen = subprocess.Popen(self.argv, stdin=stdin, stdout=files[0],
                                          stderr=files[1], env=env, pass_fds=pass_fds,
                                          preexec_fn=die_with_parent)
        except OSError as exc:
            raise Failed(f'cannot start {name} ({self.argv[0]}): {exc}') from exc
        finally:
            for opened, given in zip(files, (stdout, stderr)):
                if opened is not given:
                    opened.close()
        _owned.append(self)
        self.started = time.monotonic()
        if not quiet:
            log(f'started {name} (pid {self.pid}): {" ".join(self.argv)}')

    @property
    def pid(self) -> int:
        return self.popen.pid

    @property
    def returncode(self):
        return self.popen.returncode

    @property
    def stdin(self):
        return self.popen.stdin

    @property
    def stdout(self):
        return self.popen.stdout

    def poll(self):
        return self.popen.poll()

    def running(self) -> bool:
        return self.popen.poll() is None

    def wait(self, timeout: float) -> int:
        """The exit status; Failed when the process is still running after timeout seconds
        (it is left running: the caller's cleanup kills it)."""
        try:
            return self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            raise Failed(f'{self.name} (pid {self.pid}) did not exit within {timeout:g} s') \
                from None

    def send_signal(self, sig) -> None:
        """sig to the process itself (e.g. SIGSTOP/SIGCONT); nothing if it has exited."""
        if self.popen.poll() is None:
            try:
                os.kill(self.pid, sig)
            except ProcessLookupError:
                pass

    def write(self, text: str) -> None:
        """text to the process's stdin (stdin=subprocess.PIPE)."""
        self.popen.stdin.write(text.encode())
        self.popen.stdin.flush()

    def kill(self, sig=signal.SIGTERM, grace: float = 5.0):
        """Ends the process group: sig (SIGCONT too, in case it was stopped), SIGKILL after
        grace seconds; always reaped. Returns the exit status."""
        for step, wait in ((sig, grace), (signal.SIGKILL, 10.0)):
            if self.popen.poll() is not None:
                break
            for s in (step, signal.SIGCONT) if step != signal.SIGKILL else (step,):
                try:
                    os.killpg(self.pid, s)
                except ProcessLookupError:
                    pass
            try:
                self.popen.wait(wait)
            except subprocess.TimeoutExpired:
                log(f'{self.name} (pid {self.pid}) ignored {signal.Signals(step).name}')
        # Whatever the group leader left behind in its group goes too.
        try:
            os.killpg(self.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        if self.popen.stdin:
            try:
                self.popen.stdin.close()
            except OSError:
                pass
        if self in _owned:
            _owned.remove(self)
        return self.popen.returncode

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.kill()
        return False


def start(name, argv, **kwargs) -> Process:
    return Process(name, argv, **kwargs)


def kill_all() -> None:
    """Kills every process still owned, newest first."""
    for proc in reversed(list(_owned)):
        proc.kill(grace=3.0)


def _on_signal(signum, _frame):
    raise SystemExit(128 + signum)


def install_signal_handlers() -> None:
    """SIGTERM (meson's timeout), SIGINT and SIGHUP end the test through SystemExit, so every
    `finally`, `with` and atexit handler still kills what the test started."""
    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, _on_signal)


def wait_until(what: str, cond, timeout: float, step: float = 0.2, proc: Process = None):
    """cond()'s first true value; Failed after timeout seconds, or at once when proc exits."""
    deadline = time.monotonic() + timeout
    while True:
        value = cond()
        if value:
            return value
        if proc is not None and proc.poll() is not None:
            value = cond()
            if value:
                return value
            raise Failed(f'{proc.name} exited ({proc.returncode}) while waiting for {what}')
        if time.monotonic() >= deadline:
            raise Failed(f'timed out after {timeout:g} s waiting for {what}')
        time.sleep(step)


def read_text(path) -> str:
    """A log file's text ('' when it does not exist yet)."""
    try:
        return Path(path).read_text(errors='replace')
    except FileNotFoundError:
        return ''


def run(name, argv, timeout: float, *, out_dir, env=None):
    """Runs argv as an owned process to its end: (exit status, stdout, stderr). Output goes
    through files in out_dir (no pipe to fill up); Failed when it runs longer than timeout
    seconds, after it was killed."""
    out, err = Path(out_dir) / f'{name}.out', Path(out_dir) / f'{name}.err'
    with Process(name, argv, stdout=out, stderr=err, env=env) as proc:
        status = proc.wait(timeout)
    return status, read_text(out), read_text(err)


atexit.register(kill_all)


def fetched_path(argv, timeout: float, error, hint: str) -> Path:
    """Runs a fetch script (tests/vm/fetch-kernel, fetch-mesa25, ...) that prints the path of
    its cached result as its last line; its messages go to our stderr. Raises error (an
    exception class) naming the command, and hint, when it fails or takes over timeout s."""
    cmd = ' '.join(str(a) for a in argv)
    try:
        proc = subprocess.run([str(a) for a in argv], stdout=subprocess.PIPE, text=True,
                              check=False, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise error(f'{cmd} took over {timeout:g} s') from None
    lines = proc.stdout.strip().splitlines()
    if proc.returncode != 0 or not lines:
        raise error(f'{cmd} failed (exit {proc.returncode}; {hint})')
    return Path(lines[-1])


def cpu_dump(udmaview, outdir, name, args):
    """The reference picture: udmaview's headless output (CPU) dumps the last frame of args as
    outdir/cpu-NAME.png."""
    path = os.path.join(outdir, f"cpu-{name}.png")
    status, _, err = run(f"cpu-{name}", [udmaview, "--output", "headless"] + args +
                         ["--dump-png", path], 60, out_dir=outdir)
    if status != 0:
        raise Failed(f"cpu-{name}: udmaview exited {status}: {err[-800:]}")
    return path
