# SPDX-License-Identifier: MIT
"""The test compositor (tests/wayland, udmaview-test-compositor) for --output wayland: started
in a runtime dir of its own and owned by the test, and the checks of what it recorded
(events.jsonl: one JSON line per commit; picture.raw + picture.json: the picture
subsurface's last buffer) against udmaview's timing report and a CPU dump."""

import json
import os
import tempfile
from pathlib import Path

from . import images, procs, timing
from .tap import Failed, check

# The compositor's format names -> Pillow raw modes (little-endian DRM fourccs).
RAW_MODES = {'XR24': ('RGB', 'BGRX'), 'AR24': ('RGBA', 'BGRA'), 'XB24': ('RGB', 'RGBX'),
             'AB24': ('RGBA', 'RGBA'), 'RG16': ('RGB', 'BGR;16'), 'RG24': ('RGB', 'BGR')}


class Compositor:
    """`with Compositor(tc, out_dir, '--size', '640x480') as c:` c.env for udmaview
    (WAYLAND_DISPLAY, XDG_RUNTIME_DIR), c.wait_end(); killed by PID when the block ends."""

    def __init__(self, exe, out_dir, *args):
        self.exe, self.out_dir, self.args = exe, Path(out_dir), [str(a) for a in args]
        self.runtime = self.proc = self.env = None

    def __enter__(self):
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self.runtime = tempfile.TemporaryDirectory(prefix='udmaview-testcomp-')
        os.chmod(self.runtime.name, 0o700)
        env = dict(os.environ, XDG_RUNTIME_DIR=self.runtime.name)
        for name in ('DISPLAY', 'WAYLAND_DISPLAY', 'SDL_VIDEODRIVER'):
            env.pop(name, None)
        self.proc = procs.start('test-compositor', [
            self.exe, '--socket', 'wayland-testcomp', '--out', self.out_dir] + self.args,
            stdout=self.out_dir / 'compositor.log', stderr=self.out_dir / 'compositor.err',
            env=env)
        path = Path(self.runtime.name) / 'wayland-testcomp'
        procs.wait_until(f'the test compositor socket {path}', path.exists, 10, proc=self.proc)
        self.env = dict(env, WAYLAND_DISPLAY='wayland-testcomp')
        return self

    def wait_end(self, timeout: float = 10):
        """The compositor ends when its client went: its dump and summary are then written."""
        status = self.proc.wait(timeout)
        if status != 0:
            raise Failed(f'the test compositor exited {status}: '
                         f'{procs.read_text(self.out_dir / "compositor.err")[-500:]}')

    def __exit__(self, *exc):
        if self.proc:
            self.proc.kill()
        if self.runtime:
            self.runtime.cleanup()
        return False


def events(out_dir):
    lines = Path(out_dir, 'events.jsonl').read_text().splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def picture(out_dir):
    """The picture subsurface's last buffer as an RGB image."""
    desc = json.loads(Path(out_dir, 'picture.json').read_text())
    data = Path(out_dir, 'picture.raw').read_bytes()
    mode, raw = RAW_MODES[desc['format']]
    Image, _ = images._pillow()
    img = Image.frombuffer(mode, (desc['width'], desc['height']), data, 'raw', raw,
                           desc['stride'], 1)
    return img.convert('RGB')


def check_run(name, out_dir, report_path, expected_png, kind, path, width, height):
    """What the compositor received equals what udmaview says it sent and the CPU dump:
    every picture commit a buffer of kind (dmabuf/shm), the path in every shown frame,
    0 bytes copied, one wl_buffer per buffer (made once), linear modifier for dma-bufs,
    the whole picture damaged once and then exactly the rectangles udmaview counted."""
    report = timing.load(report_path)
    s = report['summary']
    c = s.get('output_counters', {})
    shown = [f for f in report['frames'] if not f['dropped']]
    ev = events(out_dir)
    end = ev[-1]
    check(end.get('end'), f'{name}: the compositor wrote its summary ({end})')
    check(end['held_destroyed'] == 0, f'{name}: no buffer destroyed while the compositor '
          f'held it ({end["held_destroyed"]})')
    commits = [e for e in ev if e.get('picture') and e.get('attached')]
    check(len(commits) == len(shown) and len(shown) > 0,
          f'{name}: one picture commit per shown frame ({len(commits)} commits, '
          f'{len(shown)} shown frames)')
    check({f['path'] for f in shown} == {path}, f'{name}: every shown frame went as {path} '
          f'({sorted({f["path"] for f in shown})})')
    kinds = {e['buffer']['kind'] for e in commits}
    check(kinds == {kind}, f'{name}: every picture commit the compositor got was a {kind} '
          f'buffer ({sorted(kinds)})')
    if kind == 'dmabuf':
        mods = {e['buffer']['modifier'] for e in commits}
        check(mods == {0}, f'{name}: modifier DRM_FORMAT_MOD_LINEAR on every dma-buf ({mods})')
        check(c.get('wl_dmabuf_buffers') == s['imports_total'] and c.get('wl_shm_buffers') == 0,
              f'{name}: the wl_buffers made are dma-bufs ({c})')
    if path != 'wl-shm-convert':
        buffers = {f['buffer_id'] for f in shown}
        fresh = sum(1 for e in commits if e['new_buffer'])
        check(s['bytes_copied_total'] == 0, f'{name}: udmaview copied 0 bytes '
              f'({s["bytes_copied_total"]})')
        check(s['imports_total'] == len(buffers) == end['picture_buffers'] == fresh,
              f'{name}: one wl_buffer per buffer, made once ({s["imports_total"]} imports, '
              f'{len(buffers)} buffers shown, the compositor saw {end["picture_buffers"]} '
              f'wl_buffers, {fresh} first commits)')
    full = [0, 0, width, height]
    check(commits[0]['damage'] == [full], f'{name}: the first picture damaged whole '
          f'({commits[0]["damage"][:3]})')
    got = sum(r[2] * r[3] for e in commits for r in e['damage'])
    changed = sum(f['damage_pixels'] for f in report['frames'][1:])
    # Without dropped frames each commit carries its own frame's damage, rectangle for
    # rectangle; merged frames bring the sum of theirs.
    per_commit = [sum(r[2] * r[3] for r in e['damage']) for e in commits[1:]]
    exact = len(shown) < len(report['frames']) or \
        per_commit == [f['damage_pixels'] for f in shown[1:]]
    check(got == c.get('wl_damage_pixels') and c.get('wl_full_damages') == 1 and
          got - width * height <= changed and exact,
          f'{name}: after the first picture only the changed rectangles reached the '
          f'compositor ({got} pixels received, {c.get("wl_damage_pixels")} sent, the source '
          f'changed {changed} after the first frame)')
    check(c.get('wl_presentation') == 1 and c.get('wl_presented', 0) >= len(shown) - 1,
          f'{name}: frames timed by wp_presentation ({c.get("wl_presented")} of {len(shown)})')
    got_img, ref = picture(out_dir), images.load(expected_png)
    # Pillow widens RGB565's 5- and 6-bit channels by rounding (16 -> 131), the CPU dump by
    # repeating the top bits (16 -> 132): 1 apart at most, the same 16-bit pixels.
    tolerance = 1 if commits[-1]['buffer']['format'] == 'RG16' else 0
    diff = images.compare(got_img, ref, tolerance, ('compositor', 'cpu'))
    check(diff.differing == 0, f'{name}: the buffer the compositor read equals the CPU dump '
          f'(within {tolerance}): {diff.describe("the compositor picture", expected_png)}')
    return report
