#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Zero-copy end to end (issue 7): a real QEMU 7.2 guest's own framebuffer pages shown by udmaview.

    zc_e2e.py host-region   [options]   case (a) on the host (suite e2e)
    zc_e2e.py vm-region     [options]   case (a) inside the VM test bed (suite vm), --output
                                        headless or kms
    zc_e2e.py vm-blob       [options]   case (b) inside the VM test bed (suite vm)
    zc_e2e.py check OUT_DIR             the host-side pixel checks of a vm-* run (manifest.json)

Case (a): the inner guest's framebuffer is one linear block of its RAM, RAM being QEMU's
memory-backend-memfd: ramfb, shown by Linux's vesafb (Debian's 6.1 kernel, SeaBIOS,
`vga=0x344`; zc_fbguest in a busybox initramfs) or written by the bare-metal zc_pvhguest. The
guest prints the framebuffer's physical address and draws a known pattern; udmaview's region
source makes one dma-buf over those pages of QEMU's memfd (/proc/PID/fd/N) and shows it.
Case (b): zc_pvhguest puts its framebuffer in scattered pages of a virtio-gpu blob resource;
QEMU makes the dma-buf and sends it over -display dbus (gl=on); udmaview --source qemu-p2p.
See docs/zero-copy.md.

Every process this script starts (QEMU, udmaview) is bounded by a timeout and killed by its
PID on every path (QEMU also dies with this script: PR_SET_PDEATHSIG). Stdlib only.
"""

import argparse
import ctypes
import json
import os
import re
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from pathlib import Path

QEMU = '/usr/bin/qemu-system-x86_64'
HERE = Path(__file__).resolve().parent
SKIP = 77

# Keep in sync with zc_fbguest.c and zc_pvhguest.c.
RECT = (200, 300, 64, 48)          # x, y, w, h
RECT_RGB = (0xff, 0x00, 0xff)
TILE = (64, 16)                    # TileDamage's default tile (include/udmaview/tile_damage.h)


class Failed(Exception):
    pass


class Skipped(Exception):
    pass


T0 = time.monotonic()


def log(*args):
    print(f'[{time.monotonic() - T0:7.2f}s] zc:', *args, flush=True)


def check(cond, what):
    if not cond:
        raise Failed(what)
    log('ok:', what)


# --- processes --------------------------------------------------------------------------------
_libc = ctypes.CDLL(None, use_errno=True)
PR_SET_PDEATHSIG = 1


def _child_setup():
    os.setsid()
    _libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def kill_proc(proc, name, grace=3.0):
    """TERM, then KILL, by PID; always reaped."""
    if proc is None or proc.poll() is not None:
        return
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 10)):
        try:
            os.kill(proc.pid, sig)
        except ProcessLookupError:
            pass
        try:
            proc.wait(wait)
            return
        except subprocess.TimeoutExpired:
            log(f'{name} (pid {proc.pid}) ignored {sig.name}')


class Guest:
    """An inner QEMU with its serial console on stdio (pipes) and QMP on a unix socket."""

    def __init__(self, argv, out: Path, name='qemu'):
        self.name = name
        self.lines = []
        self.cond = threading.Condition()
        self.log = open(out / f'{name}-serial.log', 'wb')
        self.err = open(out / f'{name}.err', 'wb')
        log(f'starting {name}: {" ".join(argv)}')
        self.started = time.monotonic()
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=self.err, preexec_fn=_child_setup)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        buf = b''
        while True:
            chunk = self.proc.stdout.read1(65536)
            if not chunk:
                break
            self.log.write(chunk)
            self.log.flush()
            buf += chunk
            *done, buf = buf.split(b'\n')
            if done:
                with self.cond:
                    self.lines += [d.decode(errors='replace').rstrip('\r') for d in done]
                    self.cond.notify_all()
        with self.cond:
            self.cond.notify_all()

    def wait_for(self, regex, timeout, start=0):
        """The first match of regex in the console lines from index start; Failed on timeout
        or when QEMU exits first."""
        pattern = re.compile(regex)
        deadline = time.monotonic() + timeout
        pos = start
        with self.cond:
            while True:
                for i in range(pos, len(self.lines)):
                    if pattern.search(self.lines[i]):
                        return pattern.search(self.lines[i]), i + 1
                    if '@@ZC-ERROR' in self.lines[i]:
                        raise Failed(f'guest: {self.lines[i]}')
                pos = len(self.lines)
                left = deadline - time.monotonic()
                if self.proc.poll() is not None and not self.reader.is_alive():
                    raise Failed(f'{self.name} exited ({self.proc.returncode}) before '
                                 f'/{regex}/; stderr: {self.stderr()[-800:]}')
                if left <= 0:
                    raise Failed(f'no /{regex}/ on the guest console after {timeout:.0f} s '
                                 f'(last lines: {self.lines[-5:]})')
                self.cond.wait(min(left, 0.5))

    def send(self, text):
        self.proc.stdin.write(text.encode())
        self.proc.stdin.flush()

    def stderr(self):
        self.err.flush()
        return (self.err.name and Path(self.err.name).read_text(errors='replace')) or ''

    def stop(self):
        kill_proc(self.proc, self.name)
        self.reader.join(5)
        self.log.close()
        self.err.close()


class Qmp:
    def __init__(self, path: Path, proc, timeout=30):
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                self.sock.connect(str(path))
                break
            except OSError:
                self.sock.close()
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise Failed(f'cannot connect to QMP at {path}')
                time.sleep(0.1)
        self.sock.settimeout(timeout)
        self.file = self.sock.makefile('rb')
        json.loads(self.file.readline())  # greeting
        self.cmd('qmp_capabilities')

    def cmd(self, name, **arguments):
        msg = {'execute': name}
        if arguments:
            msg['arguments'] = arguments
        self.sock.sendall(json.dumps(msg).encode() + b'\n')
        while True:
            line = self.file.readline()
            if not line:
                raise Failed(f'QMP closed during {name}')
            reply = json.loads(line)
            if 'return' in reply:
                return reply['return']
            if 'error' in reply:
                raise Failed(f'QMP {name}: {reply["error"]}')

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


def run_udmaview(argv, out: Path, name, timeout):
    """udmaview to completion (killed after timeout); returns (rc, stderr text)."""
    log(f'running {name}: {" ".join(argv)}')
    with open(out / f'{name}.log', 'wb') as err:
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=err, stderr=err,
                                preexec_fn=_child_setup)
        try:
            rc = proc.wait(timeout)
        except subprocess.TimeoutExpired:
            rc = None
        finally:
            kill_proc(proc, name)
    text = (out / f'{name}.log').read_text(errors='replace')
    if rc is None:
        raise Failed(f'{name} did not finish within {timeout} s:\n{text[-1500:]}')
    return rc, text


def wait_file_text(path: Path, regex, proc, timeout):
    deadline = time.monotonic() + timeout
    pattern = re.compile(regex)
    while time.monotonic() < deadline:
        if path.exists() and pattern.search(path.read_text(errors='replace')):
            return
        if proc.poll() is not None:
            raise Failed(f'{path.name}: the process exited ({proc.returncode}) before /{regex}/:'
                         f'\n{path.read_text(errors="replace")[-1500:]}')
        time.sleep(0.05)
    raise Failed(f'no /{regex}/ in {path} after {timeout} s')


# --- initramfs --------------------------------------------------------------------------------
class Cpio:
    """cpio 'newc' writer (what the kernel unpacks as initramfs), uncompressed."""

    def __init__(self, path: Path):
        self.out = open(path, 'wb')
        self.ino = 1

    def _entry(self, name, mode, data=b''):
        fields = [self.ino, mode, 0, 0, 1, 0, len(data), 0, 0, 0, 0, len(name) + 1, 0]
        self.ino += 1
        head = b'070701' + b''.join(b'%08x' % f for f in fields) + name.encode() + b'\0'
        for blob in (head, data):
            self.out.write(blob + b'\0' * (-len(blob) % 4))

    def add_dir(self, name):
        self._entry(name, stat.S_IFDIR | 0o755)

    def add_file(self, name, data, mode=0o644):
        self._entry(name, stat.S_IFREG | mode, data)

    def close(self):
        self._entry('TRAILER!!!', 0)
        self.out.close()


def find_busybox():
    for cand in ('/bin/busybox', '/usr/bin/busybox'):
        if os.path.exists(cand):
            return Path(cand)
    raise Skipped('no busybox (package busybox-static)')


def build_initramfs(path: Path, fbguest: Path, modules=()):
    cpio = Cpio(path)
    for d in ('bin', 'dev', 'proc', 'sys', 'modules'):
        cpio.add_dir(d)
    cpio.add_file('bin/busybox', find_busybox().read_bytes(), 0o755)
    cpio.add_file('init', (HERE / 'zc-guest-init.sh').read_bytes(), 0o755)
    cpio.add_file('zc_fbguest', fbguest.read_bytes(), 0o755)
    names = []
    for i, ko in enumerate(modules):
        names.append(f'/modules/{i:02d}-{ko.name}')
        cpio.add_file(names[-1][1:], ko.read_bytes())
    if names:
        cpio.add_file('modules.list', ('\n'.join(names) + '\n').encode())
    cpio.close()


def module_paths(kdir: Path, kver, names):
    """.ko files of names and their dependencies, in load order (modprobe --show-depends on
    the cached kernel tree)."""
    modprobe = next((p for p in ('/usr/sbin/modprobe', '/sbin/modprobe') if os.path.exists(p)),
                    'modprobe')
    argv = [modprobe, '-d', str(kdir / 'root'), '-S', kver, '--show-depends', '-a', *names]
    proc = subprocess.run(argv, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise Failed(f'{" ".join(argv)}: {proc.stderr.strip()}')
    paths = []
    for line in proc.stdout.splitlines():
        words = line.split()
        if len(words) > 1 and words[0] == 'insmod' and Path(words[1]) not in paths:
            paths.append(Path(words[1]))
    return paths


def kernel_dir(vm_cache: Path, fetch_kernel):
    """The test bed's cached Debian kernel (<build>/vm-cache/kernel-<kver>); fetched (once, by
    tests/vm/fetch-kernel) when fetch_kernel is given and nothing is cached."""
    current = vm_cache / 'current'
    if fetch_kernel:
        proc = subprocess.run([str(fetch_kernel), str(vm_cache)], stdout=subprocess.PIPE,
                              text=True, check=False)
        if proc.returncode != 0:
            raise Skipped('tests/vm/fetch-kernel failed (no Debian registry?); no kernel')
        return Path(proc.stdout.strip().splitlines()[-1])
    if not current.exists():
        raise Failed(f'no kernel cached in {vm_cache}')
    return Path(current.read_text().strip())


# --- images -----------------------------------------------------------------------------------
def pattern_rows(w, h, rect=False):
    """The expected picture as RGB rows (bytes of w*3), see zc_fbguest.c."""
    rows = []
    rx, ry, rw, rh = RECT
    for y in range(h):
        by, g = y // 64, y & 0xff
        row = b''.join(bytes(((by * 20 + bx * 3 + 40) & 0xff, g, (bx * 16 + 8) & 0xff))
                       * min(64, w - bx * 64) for bx in range((w + 63) // 64))
        if rect and ry <= y < ry + rh:
            row = row[:rx * 3] + bytes(RECT_RGB) * rw + row[(rx + rw) * 3:]
        rows.append(row)
    return rows


def rgb_rows_to_bgrx_crc(rows):
    crc = 0
    for row in rows:
        bgrx = bytearray(len(row) // 3 * 4)
        bgrx[0::4], bgrx[1::4], bgrx[2::4] = row[2::3], row[1::3], row[0::3]
        crc = zlib.crc32(bgrx, crc)
    return crc


def read_ppm(path: Path):
    data = path.read_bytes()
    fields, pos = [], 0
    while len(fields) < 4:
        while data[pos:pos + 1].isspace():
            pos += 1
        if data[pos:pos + 1] == b'#':
            pos = data.index(b'\n', pos) + 1
            continue
        end = pos
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(data[pos:end])
        pos = end
    pos += 1
    if fields[0] != b'P6' or fields[3] != b'255':
        raise Failed(f'{path}: not an 8-bit P6 PPM')
    w, h = int(fields[1]), int(fields[2])
    body = data[pos:pos + w * h * 3]
    return w, h, [body[y * w * 3:(y + 1) * w * 3] for y in range(h)]


def _paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def read_png(path: Path):
    """8-bit RGB/RGBA, non-interlaced PNG → (w, h, RGB rows)."""
    data = path.read_bytes()
    if not data.startswith(b'\x89PNG\r\n\x1a\n'):
        raise Failed(f'{path}: not a PNG')
    pos, idat, head = 8, [], None
    while pos < len(data):
        length = int.from_bytes(data[pos:pos + 4], 'big')
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        if kind == b'IHDR':
            head = body
        elif kind == b'IDAT':
            idat.append(body)
        pos += 12 + length
    w, h = int.from_bytes(head[0:4], 'big'), int.from_bytes(head[4:8], 'big')
    depth, ctype, interlace = head[8], head[9], head[12]
    if depth != 8 or ctype not in (2, 6) or interlace:
        raise Failed(f'{path}: unsupported PNG (depth {depth}, colour type {ctype})')
    bpp = 3 if ctype == 2 else 4
    raw = zlib.decompress(b''.join(idat))
    stride = w * bpp
    prev = bytearray(stride)
    rows = []
    for y in range(h):
        start = y * (stride + 1)
        kind = raw[start]
        line = bytearray(raw[start + 1:start + 1 + stride])
        if kind == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 0xff
        elif kind == 2:
            line = bytearray(map(lambda a, b: (a + b) & 0xff, line, prev))
        elif kind == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + prev[i]) >> 1)) & 0xff
        elif kind == 4:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                ul = prev[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + _paeth(left, prev[i], ul)) & 0xff
        elif kind != 0:
            raise Failed(f'{path}: bad filter {kind} in row {y}')
        prev = line
        if bpp == 4:
            rgb = bytearray(w * 3)
            rgb[0::3], rgb[1::3], rgb[2::3] = line[0::4], line[1::4], line[2::4]
            rows.append(bytes(rgb))
        else:
            rows.append(bytes(line))
    return w, h, rows


def read_image(path: Path):
    return read_ppm(path) if path.suffix == '.ppm' else read_png(path)


def compare(a_name, a, b_name, b):
    """Number of differing pixels of two (w, h, rows) images; raises on a size mismatch."""
    if a[:2] != b[:2]:
        raise Failed(f'{a_name} is {a[0]}x{a[1]}, {b_name} is {b[0]}x{b[1]}')
    w, h = a[:2]
    bad, first = 0, None
    for y in range(h):
        ra, rb = a[2][y], b[2][y]
        if ra == rb:
            continue
        for x in range(w):
            if ra[x * 3:x * 3 + 3] != rb[x * 3:x * 3 + 3]:
                bad += 1
                if first is None:
                    first = (x, y, ra[x * 3:x * 3 + 3].hex(), rb[x * 3:x * 3 + 3].hex())
    if bad:
        log(f'{a_name} vs {b_name}: {bad} pixels differ; first at {first[:2]}: '
            f'{first[2]} vs {first[3]}')
    return bad


# --- guest helpers ----------------------------------------------------------------------------
FB_RE = (r'@@ZC-FB addr=0x([0-9a-f]+) len=(\d+) stride=(\d+) size=(\d+)x(\d+) bpp=(\d+) '
         r'id=(.*)@@')


def memfd_offset(addr, ram_bytes):
    """q35: guest-physical address → offset in the RAM memfd (low RAM is all of RAM up to
    2.75 GiB, else 2 GiB; addresses ≥ 4 GiB continue after low RAM)."""
    low = ram_bytes if ram_bytes <= 0xb0000000 else 0x80000000
    if addr < low:
        return addr
    if addr >= 1 << 32:
        return addr - (1 << 32) + low
    raise Failed(f'framebuffer address {addr:#x} is in the PCI hole, not in RAM')


def find_memfd(pid):
    for fd in sorted(os.listdir(f'/proc/{pid}/fd'), key=int):
        try:
            target = os.readlink(f'/proc/{pid}/fd/{fd}')
        except OSError:
            continue
        if target.startswith('/memfd:memory-backend-memfd'):
            return Path(f'/proc/{pid}/fd/{fd}'), target
    raise Failed(f'QEMU (pid {pid}) has no memory-backend-memfd open')


def timing_frames(path: Path):
    return json.loads(path.read_text())


def ramfb_qemu_argv(kernel: Path, initrd: Path, qmp: Path, ram_mb, append_extra=''):
    """Case (a): SeaBIOS + ramfb (vgabios-ramfb's VBE mode 0x344 = 1024x768x32 at the top
    4 MiB of low RAM), RAM = memfd shared with us."""
    argv = [QEMU, '-accel', 'tcg', '-m', f'{ram_mb}M', '-smp', '1',
            '-object', f'memory-backend-memfd,id=mem,size={ram_mb}M,share=on',
            '-machine', 'q35,memory-backend=mem', '-nodefaults', '-no-reboot',
            '-vga', 'none', '-device', 'ramfb', '-display', 'none',
            '-chardev', 'stdio,id=ser,signal=off', '-serial', 'chardev:ser',
            '-kernel', str(kernel), '-qmp', f'unix:{qmp},server=on,wait=off']
    if initrd is None:  # the bare-metal zc_pvhguest
        return argv
    vga = '' if 'zc.fb=ramfb' in append_extra else 'vga=0x344 '
    append = (f'console=ttyS0 {vga}loglevel=4 panic=-1 vt.global_cursor_default=0 '
              + append_extra).strip()
    return argv + ['-initrd', str(initrd), '-append', append]


# --- case (a) ---------------------------------------------------------------------------------
class RegionCase:
    """Boots the ramfb guest, learns its framebuffer, and drives udmaview's region source."""

    def __init__(self, args, out: Path, ram_mb, boot_timeout):
        self.pos = 0
        self.args, self.out, self.ram_mb, self.boot_timeout = args, out, ram_mb, boot_timeout
        self.guest = self.qmp = None
        self.results = {}

    def boot(self, kdir, boot='bzimage'):
        """bzimage: SeaBIOS runs the kernel's real-mode setup, vga=0x344 sets the VBE mode, the
        guest gets vesafb (/dev/fb0). pvh: the uncompressed vmlinux (no decompression, ~3x
        faster under TCG) gets no screen_info, so no vesafb: the guest reads the ramfb config
        SeaBIOS left in fw_cfg and draws through /dev/mem (zc_fbguest ramfb). bare: no Linux;
        zc_pvhguest (a few KiB, PVH entry) does the same as zc_fbguest ramfb, for the nested
        runs where a Linux boot does not fit the time budget."""
        kver = (kdir / 'kver').read_text().strip() if kdir else None
        # Work files not in the out dir: that is a 9p share inside the VM test bed.
        self.sock_dir = Path(tempfile.mkdtemp(prefix='zc-'))
        initrd = self.sock_dir / 'initrd.cpio'
        if boot == 'bare':
            kernel, extra = Path(self.args.pvhguest), None
        elif boot == 'pvh':
            kernel, extra = kdir / 'vmlinux', 'zc.fb=ramfb'
            if not kernel.exists():
                raise Failed(f'{kernel} missing (tests/vm/run extracts it for PVH boot)')
            modules = module_paths(kdir, kver, ['qemu_fw_cfg'])
        else:
            kernel, extra, modules = kdir / 'root' / 'boot' / f'vmlinuz-{kver}', '', []
        if boot != 'bare':
            build_initramfs(initrd, Path(self.args.fbguest), modules)
        else:
            initrd = modules = None
        self.results['boot'] = boot
        qmp_path = self.sock_dir / 'qmp.sock'
        self.guest = Guest(ramfb_qemu_argv(kernel, initrd, qmp_path, self.ram_mb, extra),
                           self.out)
        self.qmp = Qmp(qmp_path, self.guest.proc)
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

    def still_frame(self, name, output_args, dump=True):
        """Guest stopped: one udmaview frame (PNG dump) + QMP screendump of the same moment."""
        self.qmp.cmd('stop')
        png = self.out / f'{name}.png'
        timing = self.out / f'{name}-timing.json'
        argv = self.udmaview(*output_args, '--frames', '1', '--timing', str(timing))
        if dump:
            argv += ['--dump-png', str(png)]
        t = time.monotonic()
        rc, text = run_udmaview(argv, self.out, name, 60)
        self.results[f'{name}_udmaview_s'] = round(time.monotonic() - t, 2)
        check(rc == 0, f'{name}: udmaview exit status 0' + (f' (got {rc}): {text[-800:]}' if rc else ''))
        ppm = self.out / f'{name}-inner.ppm'
        self.qmp.cmd('screendump', filename=str(ppm))
        self.qmp.cmd('cont')
        return png, ppm, timing_frames(timing), text

    def damage_run(self, name, output_args, during=None):
        """udmaview runs; it is SIGSTOPped while the guest draws the small rectangle, so the
        change reaches it as one frame; frame 2 ends the run."""
        timing = self.out / f'{name}-timing.json'
        png = self.out / f'{name}.png'
        argv = self.udmaview(*output_args, '--frames', '2', '--timing', str(timing),
                             '--verbose')
        if output_args[:2] == ['--output', 'headless']:
            argv += ['--dump-png', str(png)]
        errlog = self.out / f'{name}.log'
        log(f'running {name}: {" ".join(argv)}')
        with open(errlog, 'wb') as err:
            proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=err, stderr=err,
                                    preexec_fn=_child_setup)
        try:
            wait_file_text(errlog, r'frame 1 presented', proc, 60)
            os.kill(proc.pid, signal.SIGSTOP)
            t = time.monotonic()
            self.guest.send('rect\n')
            m, self.pos = self.guest.wait_for(r'@@ZC-RECT crc=0x([0-9a-f]+)@@', 60, self.pos)
            self.rect_crc = int(m.group(1), 16)
            self.results['guest_rect_s'] = round(time.monotonic() - t, 2)
            if during:
                during('stopped')
            os.kill(proc.pid, signal.SIGCONT)
            rc = proc.wait(60)
        except subprocess.TimeoutExpired:
            raise Failed(f'{name}: udmaview did not end after frame 2:\n'
                         f'{errlog.read_text(errors="replace")[-1500:]}')
        finally:
            if proc.poll() is None:
                try:
                    os.kill(proc.pid, signal.SIGCONT)
                except ProcessLookupError:
                    pass
            kill_proc(proc, name)
        text = errlog.read_text(errors='replace')
        check(rc == 0, f'{name}: udmaview exit status 0' + (f' (got {rc}): {text[-800:]}' if rc else ''))
        return png, timing_frames(timing), text

    def check_damage(self, name, timing):
        frames = timing['frames']
        self.results[f'{name}_latency_ms'] = [latency_ms(f) for f in frames]
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

    def shutdown(self):
        if self.qmp:
            self.qmp.close()
        if self.guest:
            self.guest.stop()
        if getattr(self, 'sock_dir', None):
            shutil.rmtree(self.sock_dir, ignore_errors=True)


def latency_ms(frame):
    """udmaview's own produced → presented time of a frame (change seen → flip/done)."""
    if not frame.get('presented_ns') or not frame.get('produced_ns'):
        return None
    return round((frame['presented_ns'] - frame['produced_ns']) / 1e6, 2)


def write_manifest(out: Path, manifest):
    (out / 'manifest.json').write_text(json.dumps(manifest, indent=1))


def run_checks(out: Path, manifest, results):
    """Pixel checks: each item {'a': file, 'b': file | 'pattern' | 'pattern+rect', 'name'};
    plus guest CRCs against the expected pattern. Returns the number of failures."""
    failures = 0
    w, h = manifest['size']
    expected = {'pattern': (w, h, pattern_rows(w, h)),
                'pattern+rect': (w, h, pattern_rows(w, h, rect=True))}
    for key, crc in manifest.get('guest_crcs', {}).items():
        want = rgb_rows_to_bgrx_crc(expected[key][2])
        ok = want == crc
        failures += not ok
        log(f'{"ok" if ok else "FAIL"}: guest CRC of {key}: {crc:#010x} '
            f'(expected {want:#010x})')
    cache = {}

    def image(ref):
        if ref in expected:
            return expected[ref]
        if ref not in cache:
            cache[ref] = read_image(out / ref)
        return cache[ref]

    for item in manifest['compare']:
        bad = compare(item['a'], image(item['a']), item['b'], image(item['b']))
        results[f'mismatch {item["a"]} vs {item["b"]}'] = bad
        failures += bad != 0
        log(f'{"ok" if not bad else "FAIL"}: {item["a"]} == {item["b"]} '
            f'({bad} of {w * h} pixels differ)')
    return failures


def case_host_region(args):
    """Case (a) on the host: no /dev/udmabuf here, so the region source uses its mmap
    fallback (the frames' path says "mmap memfd"); the pixels and damage are what is tested."""
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    kdir = kernel_dir(Path(args.vm_cache), args.fetch_kernel)
    case = RegionCase(args, out, ram_mb=256, boot_timeout=120)
    t0 = time.monotonic()
    try:
        case.boot(kdir, args.boot or 'bzimage')
        png, ppm, timing, text = case.still_frame('still', ['--output', 'headless'])
        path = timing['frames'][0]['path']
        dev = os.path.exists('/dev/udmabuf')
        why = ('exists' if dev else
               'missing: the region source maps the memfd instead (mmap fallback)')
        log(f'frame path: "{path}" (/dev/udmabuf {why})')
        check(path == ('mmap dma-buf' if dev else 'mmap memfd'),
              f'frame path is "{path}" as expected with{"" if dev else "out"} /dev/udmabuf')
        png2, timing2, _ = case.damage_run('damage', ['--output', 'headless'])
        case.check_damage('damage', timing2)
        case.qmp.cmd('stop')
        ppm2 = out / 'damage-inner.ppm'
        case.qmp.cmd('screendump', filename=str(ppm2))
        case.qmp.cmd('cont')
        case.guest.send('quit\n')
        m, _ = case.guest.wait_for(r'@@ZC-END (\d+)@@', 30, case.pos)
        check(m.group(1) == '0', 'zc_fbguest exit status 0')
        case.guest.proc.wait(30)
    finally:
        case.shutdown()
    manifest = {'size': [case.w, case.h],
                'guest_crcs': {'pattern': case.pattern_crc, 'pattern+rect': case.rect_crc},
                'compare': [{'a': png.name, 'b': ppm.name}, {'a': png.name, 'b': 'pattern'},
                            {'a': png2.name, 'b': ppm2.name},
                            {'a': png2.name, 'b': 'pattern+rect'}]}
    write_manifest(out, manifest)
    failures = run_checks(out, manifest, case.results)
    case.results['wall_s'] = round(time.monotonic() - t0, 1)
    log('results:', json.dumps(case.results))
    if failures:
        raise Failed(f'{failures} pixel checks failed (artefacts in {out})')


# --- nested (inside tests/vm/run) --------------------------------------------------------------
def vmctl(*argv, timeout=90):
    tool = os.environ.get('UDMAVIEW_VMCTL')
    if not tool:
        raise Failed('not inside the VM test bed (no UDMAVIEW_VMCTL)')
    proc = subprocess.run([tool, *argv], capture_output=True, text=True, timeout=timeout,
                          check=False)
    if proc.returncode != 0:
        raise Failed(f'vmctl {argv[0]}: {proc.stdout.strip()} {proc.stderr.strip()}')
    return proc.stdout


def outer_screendump(path: Path):
    """QMP screendump of the OUTER VM's display (what cirrus scans out), as PPM; the path is
    the same on the host (out dir)."""
    vmctl('qmp', json.dumps({'execute': 'screendump', 'arguments': {'filename': str(path)}}))


def udmabufs():
    """(size, exporter) of every udmabuf dma-buf alive (debugfs bufinfo)."""
    found = []
    for line in Path('/sys/kernel/debug/dma_buf/bufinfo').read_text().splitlines():
        words = line.split()
        if len(words) >= 5 and words[4] == 'udmabuf':
            found.append(int(words[0], 10))
    return found


def frame_checks(name, frames, path, first_imports):
    for i, f in enumerate(frames):
        check(f['path'] == path, f'{name}: frame {i + 1} path "{f["path"]}" == "{path}"')
        check(f['bytes_copied'] == 0, f'{name}: frame {i + 1} copied {f["bytes_copied"]} bytes')
        want = first_imports if i == 0 else 0
        check(f['imports'] == want, f'{name}: frame {i + 1} imports {f["imports"]} == {want}')


def case_vm_region(args):
    """Case (a) nested: the ramfb guest runs inside the test-bed VM, where our udmabuf.ko gives
    /dev/udmabuf, so the region source makes a real dma-buf over QEMU's memfd pages."""
    out = Path(os.environ.get('UDMAVIEW_VM_OUT') or args.out)
    check(os.path.exists('/dev/udmabuf'), '/dev/udmabuf exists (our udmabuf.ko)')
    boot = args.boot or 'bare'
    kdir = kernel_dir(Path(args.vm_cache), None) if boot != 'bare' else None
    case = RegionCase(args, out, ram_mb=256, boot_timeout=200)
    t0 = time.monotonic()
    buf_bytes = []
    manifest = {'compare': []}
    udmaview_proc = None

    def bufinfo_now(_):
        buf_bytes.extend(udmabufs())
        log(f'udmabuf dma-bufs alive while udmaview shows the frame: {buf_bytes}')

    try:
        case.boot(kdir, boot)
        enclosing = ((case.offset + case.stride * case.h + 4095) // 4096 * 4096
                     - case.offset // 4096 * 4096)
        if args.output == 'headless':
            png, ppm, timing, _ = case.still_frame('still', ['--output', 'headless'])
            frame_checks('still', timing['frames'], 'mmap dma-buf', 1)
            png2, timing2, _ = case.damage_run('damage', ['--output', 'headless'],
                                               during=bufinfo_now)
            case.check_damage('damage', timing2)
            frame_checks('damage', timing2['frames'], 'mmap dma-buf', 1)
            case.qmp.cmd('stop')
            ppm2 = out / 'damage-inner.ppm'
            case.qmp.cmd('screendump', filename=str(ppm2))
            case.qmp.cmd('cont')
            manifest['compare'] = [{'a': png.name, 'b': ppm.name},
                                   {'a': png.name, 'b': 'pattern'},
                                   {'a': png2.name, 'b': ppm2.name},
                                   {'a': png2.name, 'b': 'pattern+rect'}]
            case.guest.send('quit\n')
            m, _ = case.guest.wait_for(r'@@ZC-END (\d+)@@', 60, case.pos)
            check(m.group(1) == '0', 'zc_fbguest exit status 0')
        else:
            timing_path = out / 'kms-timing.json'
            errlog = out / 'kms.log'
            argv = case.udmaview('--output', 'kms', '--mode', f'{case.w}x{case.h}',
                                 '--timing', str(timing_path), '--verbose')
            log(f'running kms: {" ".join(argv)}')
            with open(errlog, 'wb') as err:
                udmaview_proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=err,
                                                 stderr=err, preexec_fn=_child_setup)
            wait_file_text(errlog, r'frame 1 presented', udmaview_proc, 90)
            time.sleep(0.5)
            outer_screendump(out / 'kms-1.ppm')
            case.qmp.cmd('screendump', filename=str(out / 'kms-1-inner.ppm'))
            os.kill(udmaview_proc.pid, signal.SIGSTOP)
            t = time.monotonic()
            case.guest.send('rect\n')
            m, case.pos = case.guest.wait_for(r'@@ZC-RECT crc=0x([0-9a-f]+)@@', 60, case.pos)
            case.rect_crc = int(m.group(1), 16)
            bufinfo_now(None)
            os.kill(udmaview_proc.pid, signal.SIGCONT)
            wait_file_text(errlog, r'frame 2 presented', udmaview_proc, 60)
            case.results['rect_to_presented_s'] = round(time.monotonic() - t, 2)
            time.sleep(0.5)
            outer_screendump(out / 'kms-2.ppm')
            case.qmp.cmd('screendump', filename=str(out / 'kms-2-inner.ppm'))
            # Robustness: QEMU dies while udmaview scans out the dma-buf over its memory.
            log(f'killing the inner QEMU (pid {case.guest.proc.pid}) while udmaview shows it')
            case.qmp.close()
            case.qmp = None
            os.kill(case.guest.proc.pid, signal.SIGKILL)
            try:
                rc = udmaview_proc.wait(60)
            except subprocess.TimeoutExpired:
                raise Failed('udmaview did not stop within 60 s after QEMU died')
            text = errlog.read_text(errors='replace')
            check(rc == 0, f'kms: udmaview exit status 0 after QEMU died (got {rc})')
            check('exited; stopping' in text, 'kms: udmaview says the region\'s owner exited')
            timing = timing_frames(timing_path)
            case.check_damage('kms', timing)
            frame_checks('kms', timing['frames'], 'import', 1)
            manifest['compare'] = [{'a': 'kms-1.ppm', 'b': 'pattern'},
                                   {'a': 'kms-1-inner.ppm', 'b': 'pattern'},
                                   {'a': 'kms-2.ppm', 'b': 'pattern+rect'},
                                   {'a': 'kms-2-inner.ppm', 'b': 'pattern+rect'}]
        check(enclosing in buf_bytes, f'a udmabuf of the framebuffer\'s {enclosing} bytes '
              f'existed while udmaview ran ({buf_bytes})')
    finally:
        if udmaview_proc is not None:
            if udmaview_proc.poll() is None:
                try:
                    os.kill(udmaview_proc.pid, signal.SIGCONT)
                except ProcessLookupError:
                    pass
            kill_proc(udmaview_proc, 'udmaview')
        case.shutdown()
    manifest['size'] = [case.w, case.h]
    manifest['guest_crcs'] = {'pattern': case.pattern_crc, 'pattern+rect': case.rect_crc}
    case.results['wall_in_vm_s'] = round(time.monotonic() - t0, 1)
    manifest['results'] = case.results
    write_manifest(out, manifest)
    log('results:', json.dumps(case.results))
    log('pixel checks follow on the host (zc_e2e.py check)')


def render_node():
    """A DRM render node for QEMU's EGL (gl=on): vgem's in the test bed."""
    for name in sorted(os.listdir('/dev/dri')) if os.path.isdir('/dev/dri') else []:
        if name.startswith('renderD'):
            driver = os.path.basename(os.path.realpath(f'/sys/class/drm/{name}/device'))
            return f'/dev/dri/{name}', driver
    raise Failed('no /dev/dri/renderD* (vgem not loaded?)')


def count_presented(path: Path):
    return len(re.findall(r'frame \d+ presented', path.read_text(errors='replace')))


def wait_presented(path: Path, proc, more_than, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if count_presented(path) > more_than:
            return
        if proc.poll() is not None:
            raise Failed(f'udmaview exited ({proc.returncode}):\n'
                         f'{path.read_text(errors="replace")[-1500:]}')
        time.sleep(0.05)
    raise Failed(f'udmaview presented no new frame within {timeout} s:\n'
                 f'{path.read_text(errors="replace")[-1500:]}')


def case_vm_blob(args):
    """Case (b) nested: virtio-gpu-pci,blob=true; the guest's framebuffer is scattered pages,
    QEMU makes them one dma-buf (UDMABUF_CREATE_LIST) and sends ScanoutDMABUF over D-Bus
    (gl=on, vgem render node); udmaview --source qemu-p2p --output kms scans it out."""
    out = Path(os.environ.get('UDMAVIEW_VM_OUT') or args.out)
    out.mkdir(parents=True, exist_ok=True)
    check(os.path.exists('/dev/udmabuf'), '/dev/udmabuf exists (our udmabuf.ko)')
    node, driver = render_node()
    log(f'render node for QEMU\'s EGL: {node} ({driver})')
    work = Path(tempfile.mkdtemp(prefix='zc-'))
    test_qmp, viewer_qmp = work / 'qmp.sock', work / 'viewer-qmp.sock'
    argv = [QEMU, '-accel', 'tcg', '-m', '256M', '-smp', '1',
            '-object', 'memory-backend-memfd,id=mem,size=256M,share=on',
            '-machine', 'q35,memory-backend=mem', '-nodefaults', '-no-reboot',
            '-vga', 'none', '-device', 'virtio-gpu-pci,blob=true,xres=1024,yres=768',
            '-display', f'dbus,p2p=yes,gl=on,rendernode={node}',
            '-chardev', 'stdio,id=ser,signal=off', '-serial', 'chardev:ser',
            '-kernel', str(args.pvhguest),
            '-qmp', f'unix:{test_qmp},server=on,wait=off',
            '-qmp', f'unix:{viewer_qmp},server=on,wait=off']
    results = {'render_node': f'{node} ({driver})'}
    guest = qmp = proc = None
    t0 = time.monotonic()
    try:
        guest = Guest(argv, out)
        qmp = Qmp(test_qmp, guest.proc)
        m, pos = guest.wait_for(FB_RE, 200)
        w, h, stride = int(m.group(4)), int(m.group(5)), int(m.group(3))
        log(f'guest framebuffer: {m.group(7)}, {w}x{h}, stride {stride}')
        m2, pos = guest.wait_for(r'@@ZC-BLOB (.*)@@', 30, pos - 1)
        log(f'scattered: {m2.group(1)}')
        m, pos = guest.wait_for(r'@@ZC-PATTERN crc=0x([0-9a-f]+)@@', 120, pos)
        pattern_crc = int(m.group(1), 16)
        results['guest_pattern_s'] = round(time.monotonic() - guest.started, 1)
        timing_path = out / 'blob-timing.json'
        errlog = out / 'blob.log'
        uargv = [args.udmaview, '--source', f'qemu-p2p:{viewer_qmp}', '--output', 'kms',
                 '--mode', f'{w}x{h}', '--timing', str(timing_path), '--verbose']
        log(f'running udmaview: {" ".join(uargv)}')
        t = time.monotonic()
        with open(errlog, 'wb') as err:
            proc = subprocess.Popen(uargv, stdin=subprocess.DEVNULL, stdout=err, stderr=err,
                                    preexec_fn=_child_setup)
        wait_presented(errlog, proc, 0, 90)
        results['connect_to_first_frame_s'] = round(time.monotonic() - t, 2)
        time.sleep(0.5)
        outer_screendump(out / 'blob-1.ppm')
        bufs = udmabufs()
        log(f'udmabuf dma-bufs alive: {bufs}')
        check(w * h * 4 in bufs, f'QEMU\'s udmabuf of {w * h * 4} bytes is alive ({bufs})')
        before = count_presented(errlog)
        t = time.monotonic()
        guest.send('rect\n')
        m, pos = guest.wait_for(r'@@ZC-RECT crc=0x([0-9a-f]+)@@', 60, pos)
        rect_crc = int(m.group(1), 16)
        wait_presented(errlog, proc, before, 60)
        results['rect_to_presented_s'] = round(time.monotonic() - t, 2)
        time.sleep(0.5)
        outer_screendump(out / 'blob-2.ppm')
        # Robustness: QEMU dies while udmaview scans out its udmabuf.
        log(f'killing the inner QEMU (pid {guest.proc.pid}) while udmaview shows its buffer')
        qmp.close()
        qmp = None
        os.kill(guest.proc.pid, signal.SIGKILL)
        try:
            rc = proc.wait(60)
        except subprocess.TimeoutExpired:
            raise Failed('udmaview did not stop within 60 s after QEMU died')
        text = errlog.read_text(errors='replace')
        check(rc == 0, f'udmaview exit status 0 after QEMU died (got {rc})')
        check('went away' in text, 'udmaview says QEMU went away')
        counts = re.search(r'qemu: (\d+) Scanout \+ (\d+) Update copied (\d+) bytes.*?, '
                           r'(\d+) ScanoutDMABUF \+ (\d+) UpdateDMABUF', text)
        check(counts is not None, 'udmaview printed the QEMU message counts')
        results['qemu_messages'] = counts.group(0)[len('qemu: '):]
        check(counts.group(1) == counts.group(2) == counts.group(3) == '0',
              'no pixel messages (Scanout/Update), 0 bytes copied by the QEMU source')
        check(int(counts.group(4)) == 1 and int(counts.group(5)) >= 1,
              f'the picture came as 1 ScanoutDMABUF + {counts.group(5)} UpdateDMABUF')
        timing = timing_frames(timing_path)
        frames = [f for f in timing['frames'] if not f['dropped']]
        results['frames'] = len(timing['frames'])
        results['latency_ms'] = [latency_ms(f) for f in timing['frames']]
        results['bytes_copied_total'] = timing['summary']['bytes_copied_total']
        results['imports_total'] = timing['summary']['imports_total']
        check(frames, 'frames were presented')
        for i, f in enumerate(frames):
            check(f['path'] == 'import' and f['bytes_copied'] == 0,
                  f'frame {f["seq"]}: path "{f["path"]}", {f["bytes_copied"]} bytes copied')
        check(timing['summary']['imports_total'] == 1,
              f'one import for the one ScanoutDMABUF (got {timing["summary"]["imports_total"]})')
        check(frames[0]['imports'] == 1 and all(f['imports'] == 0 for f in frames[1:]),
              'imports: 1 on the first frame, 0 afterwards')
    finally:
        if proc is not None:
            kill_proc(proc, 'udmaview')
        if qmp:
            qmp.close()
        if guest:
            guest.stop()
        shutil.rmtree(work, ignore_errors=True)
    results['wall_in_vm_s'] = round(time.monotonic() - t0, 1)
    manifest = {'size': [w, h], 'results': results,
                'guest_crcs': {'pattern': pattern_crc, 'pattern+rect': rect_crc},
                'compare': [{'a': 'blob-1.ppm', 'b': 'pattern'},
                            {'a': 'blob-2.ppm', 'b': 'pattern+rect'}]}
    write_manifest(out, manifest)
    log('results:', json.dumps(results))
    log('pixel checks follow on the host (zc_e2e.py check)')


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('case', choices=('host-region', 'vm-region', 'vm-blob', 'check'))
    parser.add_argument('dir', nargs='?', help='check: the out dir')
    parser.add_argument('--udmaview')
    parser.add_argument('--fbguest', help='zc_fbguest (static, runs under the guest\'s Linux)')
    parser.add_argument('--pvhguest', help='zc_pvhguest (bare-metal PVH guest)')
    parser.add_argument('--vm-cache')
    parser.add_argument('--fetch-kernel')
    parser.add_argument('--out')
    parser.add_argument('--output', choices=('headless', 'kms'), default='headless')
    parser.add_argument('--boot', choices=('bzimage', 'pvh', 'bare'), default=None,
                        help='inner guest: bzimage (Linux, vesafb; host default), pvh (Linux '
                        'vmlinux, ramfb via /dev/mem) or bare (zc_pvhguest; VM default)')
    args = parser.parse_args()
    try:
        if args.case == 'host-region':
            if not os.path.exists(QEMU):
                raise Skipped(f'{QEMU} missing (package qemu-system-x86)')
            case_host_region(args)
        elif args.case == 'vm-region':
            case_vm_region(args)
        elif args.case == 'vm-blob':
            case_vm_blob(args)
        elif args.case == 'check':
            out = Path(args.dir)
            results = {}
            manifest = json.loads((out / 'manifest.json').read_text())
            failures = run_checks(out, manifest, results)
            log('results:', json.dumps({**manifest.get('results', {}), **results}))
            if failures:
                raise Failed(f'{failures} pixel checks failed (artefacts in {out})')
    except Skipped as exc:
        log(f'SKIP: {exc}')
        return SKIP
    except Failed as exc:
        log(f'FAIL: {exc}')
        return 1
    log('PASS')
    return 0


if __name__ == '__main__':
    sys.exit(main())
