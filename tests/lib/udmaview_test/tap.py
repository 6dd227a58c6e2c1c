# SPDX-License-Identifier: MIT
"""One vocabulary for every Python test: TAP lines on stdout, meson's exit-code protocol.

    ok 3 - what held            not ok 4 - what did not      # a comment / log line
    1..N                        (the plan, printed last)     1..0 # SKIP why   (skipped)

Exit status: 0 pass, 1 fail, 77 skip (meson's exitcode protocol; tests/vm/run passes the
status of its command through).
"""

import sys
import time
import traceback

PASS, FAIL, SKIP = 0, 1, 77


class Failed(Exception):
    """A check did not hold; the message says what, on which object."""


class Skipped(Exception):
    """The test cannot run here (a tool or device is missing); the message says which."""


class _State:
    def __init__(self):
        self.started = time.monotonic()
        self.count = 0
        self.failures = []
        self.prefix = ''
        self.failed_check = None  # the message of the check() that raised, if any


_state = _State()


def set_name(name: str) -> None:
    """Prefix of the log lines (e.g. the test's name), so interleaved logs stay readable."""
    _state.prefix = f'{name}: ' if name else ''


def log(*args) -> None:
    """TAP comment lines, stamped with the seconds since the test started."""
    text = ' '.join(str(a) for a in args)
    stamp = f'[{time.monotonic() - _state.started:7.2f}s] {_state.prefix}'
    for line in text.splitlines() or ['']:
        print(f'# {stamp}{line}', flush=True)


def _result(ok: bool, what: str) -> None:
    _state.count += 1
    print(f'{"ok" if ok else "not ok"} {_state.count} - {what}', flush=True)


def check(cond, what: str) -> None:
    """One checked fact: ok, or not ok and the test ends (Failed)."""
    _result(bool(cond), what)
    if not cond:
        _state.failed_check = what
        raise Failed(what)


def expect(cond, what: str, detail: str = '') -> bool:
    """One checked fact that does not end the test; a failure still fails it at the end."""
    _result(bool(cond), what)
    if not cond:
        _state.failures.append(what)
        if detail:
            log(detail)
    return bool(cond)


def main(body, *args) -> int:
    """Runs body(*args) and returns the exit status: 77 on Skipped; 1 on Failed, on any other
    exception (a bug in the test: printed with its traceback) or when an expect() failed;
    else 0. The body's own `finally`/`with` cleanup has run by then."""
    try:
        body(*args)
    except Skipped as exc:
        print(f'1..0 # SKIP {exc}', flush=True)
        return SKIP
    except Failed as exc:
        # check() printed its own "not ok" already
        return _fail(str(exc), str(exc) != _state.failed_check)
    except Exception as exc:  # noqa: BLE001 - a bug in the test itself: still a clean FAIL
        traceback.print_exc(file=sys.stdout)
        return _fail(f'{type(exc).__name__}: {exc}', True)
    if _state.failures:
        return _fail(f'{len(_state.failures)} of {_state.count} checks failed', False)
    if _state.count == 0:  # a body that checks by raising Failed: one result for all
        _result(True, f'{_state.prefix.rstrip(": ") or "test"}: every step held')
    print(f'1..{_state.count}', flush=True)
    log(f'PASS in {time.monotonic() - _state.started:.1f} s')
    return PASS


def _fail(message: str, as_result: bool) -> int:
    if as_result:
        _result(False, message)
    print(f'1..{_state.count}', flush=True)
    log(f'FAIL: {message}')
    return FAIL
