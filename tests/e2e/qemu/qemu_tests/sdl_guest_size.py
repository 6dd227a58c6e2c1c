# SPDX-License-Identifier: MIT
"""sdl-guest-size: the real viewer's SDL window on a private Xvfb, resized with xdotool, and
guest 2. On virtio-gpu-pci (whose console takes sizes) with --guest-size keep no SetUIInfo is
made and the guest keeps 1024x768; with the default (follow) the window's new drawable size
reaches QEMU and the guest's virtio_gpu driver switches its fbdev to it: QEMU's console (QMP
screendump) and the next picture udmaview receives (guest_width/guest_height) have the
window's size. On std VGA (sdl-guest-size-vga), which does not take sizes, the call is
refused, counted once as guest_size_ignored, and the picture goes on, scaled."""

import os
import shutil
import subprocess
import time

from udmaview_test import procs, timing
from udmaview_test.tap import Failed, Skipped, log
from udmaview_test.xvfb import Xvfb

from . import linux_guest

WANT = (800, 600)  # smaller than the guest's 1024x768 fbdev: its fb_helper can switch to it
BOOT = (1024, 768)


def console_size(env, name='size'):
    """QEMU's own idea of the console's size: the screendump's PPM header."""
    path = f'{env.tmp}/{name}.ppm'
    env.qmp.cmd('screendump', filename=path)
    with open(path, 'rb') as f:
        fields = f.read(64).split()
    os.unlink(path)
    return int(fields[1]), int(fields[2])


class Window:
    def __init__(self, env, x, name, *extra):
        self.env, self.x, self.name = env, x, name
        self.timing = f'{env.tmp}/{name}-timing.json'
        self.proc = env.start(name, [env.args.udmaview, '--source', f'qemu:{env.bus}',
                                     '--output', 'sdl', '--timing', self.timing, *extra],
                              env=x.env)
        self.win = procs.wait_until(f'the {name} window',
                                    lambda: self.xdo('search', '--name', '^udmaview')
                                    .stdout.split() or not self.proc.running(), 30)
        if not self.proc.running():
            err = env.err(name)
            if 'not available' in err or 'not built' in err:
                raise Skipped('udmaview has no SDL output: ' + err.strip())
            raise Failed(f'{name} ended: {err}')
        self.win = self.win[0]

    def xdo(self, *a):
        return subprocess.run(['xdotool', *a], env=self.x.env, capture_output=True, text=True,
                              timeout=10)

    def resize(self, w, h):
        r = self.xdo('windowsize', self.win, str(w), str(h))
        if r.returncode != 0:
            raise Failed(f'xdotool windowsize {self.win} {w} {h}: {r.stderr.strip()}')

    def end(self):
        self.env.end_viewer(self.proc)
        data = timing.load(self.timing)
        return timing.source_counters(data, self.timing), data


def wait_ready(env):
    procs.wait_until("the guest's @@READY", lambda: '@@READY' in linux_guest.serial(env), 120,
                     0.5)
    time.sleep(1)


def check_keep(env, x):
    w = Window(env, x, 'udmaview-keep', '--guest-size', 'keep')
    time.sleep(1)
    w.resize(*WANT)
    time.sleep(3)  # the pacer would have sent after 200 ms
    size = console_size(env)
    counters, _ = w.end()
    log(f'--guest-size keep: console {size}, source_counters {counters}')
    if counters['ui_info_calls'] != 0:
        raise Failed(f'--guest-size keep made {counters["ui_info_calls"]} SetUIInfo calls')
    if size != BOOT or (counters['guest_width'], counters['guest_height']) != BOOT:
        raise Failed(f'with keep the guest changed its size: console {size}, udmaview saw '
                     f'{counters["guest_width"]}x{counters["guest_height"]}')


def check_follow(env, x):
    w = Window(env, x, 'udmaview-follow')
    time.sleep(1)
    t0 = time.monotonic()
    w.resize(*WANT)
    procs.wait_until(f'QEMU\'s console at {WANT[0]}x{WANT[1]}',
                     lambda: console_size(env) == WANT or not w.proc.running(), 20, 0.05)
    took = time.monotonic() - t0
    time.sleep(1.5)  # the new surface's first picture reaches udmaview
    counters, _ = w.end()
    log(f'follow: resize -> QEMU console {WANT[0]}x{WANT[1]} in {took * 1000:.0f} ms; '
        f'source_counters {counters}')
    wrong = []
    if counters['ui_info_calls'] < 1:
        wrong.append('no SetUIInfo call')
    if (counters['ui_info_width'], counters['ui_info_height']) != WANT:
        wrong.append(f'the last call asked {counters["ui_info_width"]}x'
                     f'{counters["ui_info_height"]}')
    if (counters['guest_width'], counters['guest_height']) != WANT:
        wrong.append(f'the last picture was {counters["guest_width"]}x{counters["guest_height"]}')
    if counters['guest_size_changes'] < 1:
        wrong.append('guest_size_changes is 0')
    if counters['guest_size_ignored'] != 0:
        wrong.append(f'guest_size_ignored is {counters["guest_size_ignored"]}')
    if wrong:
        raise Failed(f'the guest did not follow the window to {WANT[0]}x{WANT[1]}: '
                     f'{"; ".join(wrong)} (counters {counters}; {w.proc.name} log: '
                     f'{env.err(w.proc.name)[-1500:]})')


def need_tools():
    for tool in ('Xvfb', 'xdotool'):
        if not shutil.which(tool):
            raise Skipped(f'{tool} missing')


def run(env):
    need_tools()
    with Xvfb() as x:
        env.start_bus()
        linux_guest.start(env, virtio_gpu=True)
        wait_ready(env)
        check_keep(env, x)
        check_follow(env, x)


def vga(env):
    need_tools()
    with Xvfb() as x:
        env.start_bus()
        linux_guest.start(env)
        wait_ready(env)
        w = Window(env, x, 'udmaview-vga')
        time.sleep(1)
        resized_ns = time.monotonic_ns()
        w.resize(*WANT)
        time.sleep(3)
        size = console_size(env)
        # The guest draws its rectangle: that picture must still reach the (scaled) window.
        env.qmp.cmd('send-key', keys=[{'type': 'qcode', 'data': 'r'}])
        procs.wait_until("the guest's @@RECT 1@@", lambda: '@@RECT 1@@' in
                         linux_guest.serial(env), 20)
        time.sleep(1.5)
        counters, data = w.end()
        after = [f for f in data['frames'] if f.get('presented_ns', 0) > resized_ns]
        log(f'std VGA: console {size}, {len(after)} frames presented after the resize, '
            f'source_counters {counters}')
        if counters['ui_info_calls'] != 1 or counters['guest_size_ignored'] != 1:
            raise Failed('std VGA must refuse the one SetUIInfo call and count it as ignored '
                         f'once: ui_info_calls {counters["ui_info_calls"]}, '
                         f'guest_size_ignored {counters["guest_size_ignored"]}')
        if size != BOOT or (counters['guest_width'], counters['guest_height']) != BOOT:
            raise Failed(f'std VGA changed size: console {size}, udmaview saw '
                         f'{counters["guest_width"]}x{counters["guest_height"]}')
        if not after:
            raise Failed('no frame was presented after the resize: the scaled picture must '
                         'go on')


BENCH_SIZES = [(800, 600), (640, 480), (960, 720), (720, 540), (1024, 768), (800, 480),
               (640, 400), (1000, 700), (880, 660), (1024, 640)]


def bench(env):
    """Not a test (no meson test runs it): the time from each of 10 window resizes to QEMU's
    console at the new size (screendump polled every 20 ms; QEMU sends the listeners the new
    Scanout at that switch), p50 and range; includes udmaview's 200 ms quiet time."""
    need_tools()
    with Xvfb() as x:
        env.start_bus()
        linux_guest.start(env, virtio_gpu=True)
        wait_ready(env)
        w = Window(env, x, 'udmaview-bench')
        time.sleep(1)
        took = []
        for size in BENCH_SIZES:
            t0 = time.monotonic()
            w.resize(*size)
            procs.wait_until(f"QEMU's console at {size[0]}x{size[1]}",
                             lambda s=size: console_size(env) == s, 20, 0.02)
            took.append((time.monotonic() - t0) * 1000)
            time.sleep(1)
        counters, _ = w.end()
        ordered = sorted(took)
        p50 = (ordered[4] + ordered[5]) / 2
        log(f'QEMU {".".join(map(str, env.qemu_version))}: resize -> new console size over '
            f'{len(took)} resizes: p50 {p50:.0f} ms [{ordered[0]:.0f}-{ordered[-1]:.0f}] '
            f'(each: {" ".join(f"{t:.0f}" for t in took)}); ui_info_calls '
            f'{counters["ui_info_calls"]}, guest_size_changes {counters["guest_size_changes"]}')
