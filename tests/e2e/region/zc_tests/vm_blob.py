# SPDX-License-Identifier: MIT
"""zerocopy-blob-kms, case (b) nested: virtio-gpu-pci,blob=true; the guest's framebuffer is
scattered pages, QEMU makes them one dma-buf (UDMABUF_CREATE_LIST) and sends ScanoutDMABUF
over D-Bus (gl=on, vgem render node); udmaview --source qemu-p2p --output kms scans it out.
The pixel checks follow on the host (zc_e2e.py check)."""

import json
import os
import shutil
import tempfile
import time
from pathlib import Path

from udmaview_test import timing
from udmaview_test.qmp import Qmp
from udmaview_test.tap import check, log

from . import viewer
from .guest import FB_RE, QEMU, Guest
from .nested import out_dir, outer_screendump, render_node, udmabufs
from .pixels import write_manifest


def qemu_argv(args, node, test_qmp, viewer_qmp):
    return [QEMU, '-accel', 'tcg', '-m', '256M', '-smp', '1',
            '-object', 'memory-backend-memfd,id=mem,size=256M,share=on',
            '-machine', 'q35,memory-backend=mem', '-nodefaults', '-no-reboot',
            '-vga', 'none', '-device', 'virtio-gpu-pci,blob=true,xres=1024,yres=768',
            '-display', f'dbus,p2p=yes,gl=on,rendernode={node}',
            '-chardev', 'stdio,id=ser,signal=off', '-serial', 'chardev:ser',
            '-kernel', str(args.pvhguest),
            '-qmp', f'unix:{test_qmp},server=on,wait=off',
            '-qmp', f'unix:{viewer_qmp},server=on,wait=off']


def run(args):
    out = out_dir(args)
    check(os.path.exists('/dev/udmabuf'), '/dev/udmabuf exists (our udmabuf.ko)')
    node, driver = render_node()
    log(f'render node for QEMU\'s EGL: {node} ({driver})')
    work = Path(tempfile.mkdtemp(prefix='zc-'))
    test_qmp, viewer_qmp = work / 'qmp.sock', work / 'viewer-qmp.sock'
    results = {'render_node': f'{node} ({driver})'}
    guest = qmp = None
    t0 = time.monotonic()
    try:
        guest = Guest(qemu_argv(args, node, test_qmp, viewer_qmp), out)
        qmp = Qmp.connect(test_qmp, 30, alive=guest.proc.running)
        m, pos = guest.wait_for(FB_RE, 200)
        w, h = int(m.group(4)), int(m.group(5))
        log(f'guest framebuffer: {m.group(7)}, {w}x{h}, stride {m.group(3)}')
        m2, pos = guest.wait_for(r'@@ZC-BLOB (.*)@@', 30, pos - 1)
        log(f'scattered: {m2.group(1)}')
        m, pos = guest.wait_for(r'@@ZC-PATTERN crc=0x([0-9a-f]+)@@', 120, pos)
        pattern_crc = int(m.group(1), 16)
        results['guest_pattern_s'] = round(time.monotonic() - guest.started, 1)
        timing_path = out / 'blob-timing.json'
        errlog = out / 'blob.log'
        argv = [args.udmaview, '--source', f'qemu-p2p:{viewer_qmp}', '--output', 'kms',
                '--mode', f'{w}x{h}', '--timing', str(timing_path), '--verbose']
        t = time.monotonic()
        with viewer.start(argv, out, 'blob') as proc:
            viewer.wait_presented(errlog, proc, 0, 90)
            results['connect_to_first_frame_s'] = round(time.monotonic() - t, 2)
            time.sleep(0.5)
            outer_screendump(out / 'blob-1.ppm')
            bufs = udmabufs()
            log(f'udmabuf dma-bufs alive: {bufs}')
            check(w * h * 4 in bufs, f'QEMU\'s udmabuf of {w * h * 4} bytes is alive ({bufs})')
            before = viewer.count_presented(errlog)
            t = time.monotonic()
            guest.send('rect\n')
            m, pos = guest.wait_for(r'@@ZC-RECT crc=0x([0-9a-f]+)@@', 60, pos)
            rect_crc = int(m.group(1), 16)
            viewer.wait_presented(errlog, proc, before, 60)
            results['rect_to_presented_s'] = round(time.monotonic() - t, 2)
            time.sleep(0.5)
            outer_screendump(out / 'blob-2.ppm')
            qmp.close()
            qmp = None
            rc = viewer.kill_qemu_under(proc, guest)
        text = errlog.read_text(errors='replace')
        check(rc == 0, f'udmaview exit status 0 after QEMU died (got {rc})')
        check('went away' in text, 'udmaview says QEMU went away')
        timing_data = timing.load(timing_path)
        check_frames(timing_data, results)
        check_source_counters(timing.source_counters(timing_data, timing_path), results)
    finally:
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


def check_source_counters(counters, results):
    """What the QEMU source received: the picture only as dma-buf messages, nothing copied."""
    results['source_counters'] = counters
    check(counters['scanout'] == counters['update'] == counters['bytes_copied'] == 0,
          'no pixel messages (Scanout/Update), 0 bytes copied by the QEMU source '
          f'({counters["scanout"]} Scanout, {counters["update"]} Update, '
          f'{counters["bytes_copied"]} bytes)')
    check(counters['scanout_dmabuf'] == 1 and counters['update_dmabuf'] >= 1,
          f'the picture came as 1 ScanoutDMABUF + {counters["update_dmabuf"]} UpdateDMABUF '
          f'(got {counters["scanout_dmabuf"]} ScanoutDMABUF)')


def check_frames(timing_data, results):
    """Every presented frame was the imported buffer, nothing copied; one import in all."""
    frames = [f for f in timing_data['frames'] if not f['dropped']]
    summary = timing_data['summary']
    results['frames'] = len(timing_data['frames'])
    results['latency_ms'] = [timing.latency_ms(f) for f in timing_data['frames']]
    results['bytes_copied_total'] = summary['bytes_copied_total']
    results['imports_total'] = summary['imports_total']
    check(frames, 'frames were presented')
    for f in frames:
        check(f['path'] == 'import' and f['bytes_copied'] == 0,
              f'frame {f["seq"]}: path "{f["path"]}", {f["bytes_copied"]} bytes copied')
    check(summary['imports_total'] == 1,
          f'one import for the one ScanoutDMABUF (got {summary["imports_total"]})')
    check(frames[0]['imports'] == 1 and all(f['imports'] == 0 for f in frames[1:]),
          'imports: 1 on the first frame, 0 afterwards')
