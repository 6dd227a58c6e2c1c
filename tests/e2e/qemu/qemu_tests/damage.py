# SPDX-License-Identifier: MIT
"""qemu-driver's per-frame lines ("frame seq=… damage=… changed_box=… outside=…") and the
checks on them: every changed pixel was announced as damage."""

from udmaview_test.tap import Failed, log


def frames_of(text):
    frames = []
    for line in text.splitlines():
        if line.startswith('frame '):
            frames.append(dict(kv.split('=', 1) for kv in line.split()[1:]))
    return frames


def rect_of(text):
    x, y, w, h = map(int, text.split(','))
    return x, y, x + w, y + h


def check_outside(frames, name):
    """Changed pixels outside a frame's damage are allowed only where one of the next frames
    of the same buffer announces damage (the source already wrote that update while the
    driver read this frame); anything else is damage the viewer missed."""
    late = 0
    for i, f in enumerate(frames):
        if f['outside'] == '0':
            continue
        ox0, oy0, ox1, oy1 = rect_of(f['outside_box'])
        nxt = [r for g in frames[i + 1:i + 6] if g['buffer'] == f['buffer']
               for r in g['damage'].split(';') if r]
        rows = sorted(rect_of(r) for r in nxt)
        covered = False
        if rows:
            x0 = min(r[0] for r in rows)
            x1 = max(r[2] for r in rows)
            y0 = min(r[1] for r in rows)
            y1 = max(r[3] for r in rows)
            covered = x0 <= ox0 and ox1 <= x1 and y0 <= oy0 and oy1 <= y1
        if not covered:
            raise Failed(f"{name}: frame {f['seq']} changed pixels outside its damage "
                         f"({f['outside_box']}) that no following frame announces: {f}")
        late += 1
    log(f'{name}: every changed pixel is inside its frame\'s damage'
        + (f' or, for {late} frame(s) read while the next update was written, inside the '
           'next frames\' damage' if late else ''))


def check_damage(env, name):
    frames = frames_of(env.out(name))
    if len(frames) < 3:
        raise Failed(f'{name}: only {len(frames)} frames')
    check_outside(frames, name)
    # SeaBIOS's steady screen: the text cursor (one 9x16 cell) blinks; each such frame must
    # be damaged exactly there, not full-screen.
    tail = frames[-10:]
    small = [f for f in tail if f['damage'] and all(
        int(r.split(',')[2]) * int(r.split(',')[3]) <= 9 * 16 for r in f['damage'].split(';'))]
    log(f'{name}: {len(frames)} frames; '
        f"last damages: {[f['damage'] for f in tail]}; changed boxes: "
        f"{[f['changed_box'] for f in tail]}")
    if len(small) < len(tail) // 2:
        raise Failed(f'{name}: steady-state damage is not the 9x16 cursor cell: '
                     f"{[f['damage'] for f in tail]}")
    # The changed pixels of those frames are inside one cell too.
    for f in small:
        x, y, w, h = map(int, f['changed_box'].split(','))
        if w > 9 or h > 16:
            raise Failed(f"{name}: frame {f['seq']} changed {f['changed_box']}")
    return frames
