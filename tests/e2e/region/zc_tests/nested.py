# SPDX-License-Identifier: MIT
"""Inside the VM test bed (tests/vm/run): the outer VM's QMP through vmctl, the udmabufs
alive (debugfs), the render node, and the checks on what the frames' timing says."""

import json
import os
import subprocess
from pathlib import Path

from udmaview_test.tap import Failed, check


def vmctl(*argv, timeout=90):
    tool = os.environ.get('UDMAVIEW_VMCTL')
    if not tool:
        raise Failed('not inside the VM test bed (no UDMAVIEW_VMCTL): run this case through '
                     'tests/vm/run')
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
    """Sizes of every udmabuf dma-buf alive (debugfs bufinfo)."""
    found = []
    for line in Path('/sys/kernel/debug/dma_buf/bufinfo').read_text().splitlines():
        words = line.split()
        if len(words) >= 5 and words[4] == 'udmabuf':
            found.append(int(words[0], 10))
    return found


def render_node():
    """A DRM render node for QEMU's EGL (gl=on): vgem's in the test bed."""
    for name in sorted(os.listdir('/dev/dri')) if os.path.isdir('/dev/dri') else []:
        if name.startswith('renderD'):
            driver = os.path.basename(os.path.realpath(f'/sys/class/drm/{name}/device'))
            return f'/dev/dri/{name}', driver
    raise Failed('no /dev/dri/renderD* (vgem not loaded?)')


def frame_checks(name, frames, path, first_imports):
    """Every frame took path and copied nothing; the first imported first_imports buffers,
    the others none."""
    for i, f in enumerate(frames):
        check(f['path'] == path, f'{name}: frame {i + 1} path "{f["path"]}" == "{path}"')
        check(f['bytes_copied'] == 0, f'{name}: frame {i + 1} copied {f["bytes_copied"]} bytes')
        want = first_imports if i == 0 else 0
        check(f['imports'] == want, f'{name}: frame {i + 1} imports {f["imports"]} == {want}')


def out_dir(args) -> Path:
    out = Path(os.environ.get('UDMAVIEW_VM_OUT') or args.out)
    out.mkdir(parents=True, exist_ok=True)
    return out
