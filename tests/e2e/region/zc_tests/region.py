# SPDX-License-Identifier: MIT
"""Case (a)'s driver: boots the ramfb guest, learns where its framebuffer is in QEMU's memfd,
and runs udmaview's region source on it."""

import os
import shutil
import signal
import tempfile
import time
from pathlib import Path

from udmaview_test import kernel as kernels
from udmaview_test import timing
from udmaview_test.qmp import Qmp
from udmaview_test.tap import Failed, check, log

from . import viewer
from .guest import FB_RE, Guest, build_initramfs, find_memfd, memfd_offset, ramfb_qemu_argv
from .pixels import RECT, TILE


class RegionCase:
    def __init__(self, args, out: Path, ram_mb, boot_timeout):
        self.pos = 0
        self.args, self.out, self.ram_mb, self.boot_timeout = args, out, ram_mb, boot_timeout
        self.guest = self.qmp = None
        self.sock_dir = None
        self.results = {}

    def boot(self, kernel, boot='bzimage'):
        """bzimage: SeaBIOS runs the kernel's real-mode setup, vga=0x344 sets the VBE mode, the
        guest gets vesafb (/dev/fb0). pvh: the uncompressed vmlinux (no decompression, ~3x
        faster under TCG) gets no screen_info, so no vesafb: the guest reads the ramfb config
        SeaBIOS left in fw_cfg and draws through /dev/mem (zc_fbguest ramfb). bare: no Linux;
        zc_pvhguest (a few KiB, PVH entry) does the same as zc_fbguest ramfb, for the nested
        runs where a Linux boot does not fit the time budget."""
        # Work files not in the out dir: that is a 9p share inside the VM test bed.
        self.sock_dir = Path(tempfile.mkdtemp(prefix='zc-'))
        initrd = self.sock_dir / 'initrd.cpio'
        if boot == 'bare':
            image, extra, initrd = Path(self.args.pvhguest), None, None
        elif boot == 'pvh':
            image, extra = kernel.vmlinux, 'zc.fb=ramfb'
            if not image.exists():
                raise Failed(f'{image} missing (tests/vm/run extracts it for PVH boot)')
            build_initramfs(initrd, Path(self.args.fbguest),
                            kernels.module_paths(kernel, ['qemu_fw_cfg']))
        else:
            image, extra = kernel.vmlinuz, ''
            build_initramfs(initrd, Path(self.args.fbguest))
        self.results['boot'] = boot
        qmp_path = self.sock_dir / 'qmp.sock'
        self.guest = Guest(ramfb_qemu_argv(image, initrd, qmp_path, self.ram_mb, extra),
                           self.out)
        self.qmp = Qmp.connect(qmp_path, 30, alive=self.guest.proc.running)
        m, self.pos = self.guest.wait_for(FB_RE, self.boot_timeout)
        t_fb = time.monotonic() - self.guest.started
        self.addr = int(m.group(1), 16)
        self.stride, self.w, self.h = int(m.group(3)), int(m.group(4)), int(m.group(5))
        log(f'guest framebuffer: {m.group(7)} at {self.addr:#x}, {self.w}x{self.h}, '
            f'stride {self.stride}, bpp {m.group(6)} ({t_fb:.1f} s after QEMU start)')
        check(m.group(6) == '32', 'the guest framebuffer is 32 bpp')
        m, self.pos = self.guest.wait_for(r'@@ZC-PATTERN crc=0x([0-9a-f]+)@@', 120, self.pos)
        self.pattern_crc = int(m.group(1), 16)
        self.results['guest_pattern_s'] = round(time.monotonic() - self.guest.started, 1)
        log(f'pattern drawn {self.results["guest_pattern_s"]} s after QEMU start')
        self.memfd, target = find_memfd(self.guest.proc.pid)
        size = os.stat(self.memfd).st_size
        log(f'QEMU memfd: {self.memfd} -> {target}, {size} bytes')
        self.offset = memfd_offset(self.addr, size)
        self.spec = (f'region:{self.memfd},offset={self.offset},size={self.w}x{self.h},'
                     f'format=XR24,stride={self.stride}')

    def udmaview(self, *extra):
        return [self.args.udmaview, '--source', self.spec, *extra]

    def enclosing_bytes(self):
        """Size of the page-aligned span of the memfd that holds the framebuffer."""
        end = (self.offset + self.stride * self.h + 4095) // 4096 * 4096
        return end - self.offset // 4096 * 4096

    def inner_screendump(self, path: Path, stopped=False):
        """QMP screendump of the inner guest; stopped: with the guest stopped for it."""
        if not stopped:
            self.qmp.cmd('stop')
        self.qmp.cmd('screendump', filename=str(path))
        self.qmp.cmd('cont')

    def still_frame(self, name, output_args):
        """Guest stopped: one udmaview frame (PNG dump) + QMP screendump of the same moment."""
        self.qmp.cmd('stop')
        png = self.out / f'{name}.png'
        timing_path = self.out / f'{name}-timing.json'
        argv = self.udmaview(*output_args, '--frames', '1', '--timing', str(timing_path),
                             '--dump-png', str(png))
        t = time.monotonic()
        rc, text = viewer.run(argv, self.out, name, 60)
        self.results[f'{name}_udmaview_s'] = round(time.monotonic() - t, 2)
        check(rc == 0, f'{name}: udmaview exit status 0' + (f' (got {rc}): {text[-800:]}'
                                                            if rc else ''))
        ppm = self.out / f'{name}-inner.ppm'
        self.inner_screendump(ppm, stopped=True)
        return png, ppm, timing.load(timing_path)

    def damage_run(self, name, output_args, during=None):
        """udmaview runs; it is SIGSTOPped while the guest draws the small rectangle, so the
        change reaches it as one frame; frame 2 ends the run. It scans twice a second: a stop
        that caught a scan halfway (a 60 Hz scan under TCG is nearly always under way) would
        split the rectangle's tiles over two frames; the stop follows frame 1 by milliseconds,
        long before the next scan."""
        timing_path = self.out / f'{name}-timing.json'
        png = self.out / f'{name}.png'
        argv = self.udmaview('--fps', '2', *output_args, '--frames', '2', '--timing',
                             str(timing_path), '--verbose')
        if output_args[:2] == ['--output', 'headless']:
            argv += ['--dump-png', str(png)]
        errlog = self.out / f'{name}.log'
        with viewer.start(argv, self.out, name) as proc:
            viewer.wait_line(errlog, r'frame 1 presented', proc, 60)
            self.rect_while_stopped(proc)
            if during:
                during()
            proc.send_signal(signal.SIGCONT)
            try:
                rc = proc.wait(60)
            except Failed:
                raise Failed(f'{name}: udmaview did not end after frame 2:\n'
                             f'{errlog.read_text(errors="replace")[-1500:]}') from None
        text = errlog.read_text(errors='replace')
        check(rc == 0, f'{name}: udmaview exit status 0' + (f' (got {rc}): {text[-800:]}'
                                                            if rc else ''))
        return png, timing.load(timing_path)

    def rect_while_stopped(self, proc):
        """SIGSTOPs udmaview (the caller continues it) while the guest draws the rectangle."""
        proc.send_signal(signal.SIGSTOP)
        t = time.monotonic()
        self.guest.send('rect\n')
        m, self.pos = self.guest.wait_for(r'@@ZC-RECT crc=0x([0-9a-f]+)@@', 60, self.pos)
        self.rect_crc = int(m.group(1), 16)
        self.results['guest_rect_s'] = round(time.monotonic() - t, 2)
        return t

    def check_damage(self, name, timing_data):
        frames = timing_data['frames']
        self.results[f'{name}_latency_ms'] = [timing.latency_ms(f) for f in frames]
        check(len(frames) == 2, f'{name}: two frames recorded (got {len(frames)})')
        full = self.w * self.h
        rx, ry, rw, rh = RECT
        tx0, tx1 = rx // TILE[0], (rx + rw - 1) // TILE[0]
        ty0, ty1 = ry // TILE[1], (ry + rh - 1) // TILE[1]
        tiles = (tx1 - tx0 + 1) * TILE[0] * (ty1 - ty0 + 1) * TILE[1]
        d1, d2 = frames[0]['damage_pixels'], frames[1]['damage_pixels']
        self.results[f'{name}_damage_pixels'] = [d1, d2]
        check(d1 == full, f'{name}: frame 1 damage is the whole frame ({d1} == {full})')
        # Tile-hash damage reports only tiles whose bytes changed; the only change is the
        # rectangle, so frame 2 == exactly the tiles it touches (covers it, nothing else).
        check(d2 == tiles, f'{name}: frame 2 damage is the {rw}x{rh} rect\'s tiles '
              f'({d2} == {tiles} pixels, {100.0 * d2 / full:.2f} % of the frame)')
        return frames

    def guest_quit(self, timeout):
        """zc_fbguest ends on 'quit' and reports its exit status."""
        self.guest.send('quit\n')
        m, _ = self.guest.wait_for(r'@@ZC-END (\d+)@@', timeout, self.pos)
        check(m.group(1) == '0', 'zc_fbguest exit status 0')

    def manifest(self, compare):
        return {'size': [self.w, self.h], 'compare': compare,
                'guest_crcs': {'pattern': self.pattern_crc, 'pattern+rect': self.rect_crc}}

    def shutdown(self):
        if self.qmp:
            self.qmp.close()
        if self.guest:
            self.guest.stop()
        if self.sock_dir:
            shutil.rmtree(self.sock_dir, ignore_errors=True)
