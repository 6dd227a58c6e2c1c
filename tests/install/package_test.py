#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The Debian packages: `dpkg-buildpackage -us -uc -b` (nocheck: the unit suite runs in the
normal build already) on a copy of the source tree, so neither the tree nor its parent
directory gets build products; lintian without errors (warnings are logged); both .debs
unpacked with `dpkg -x` into a throwaway root, the binary run from there, and the packaged
kmod built by dkms against the VM test bed's kernel headers when they are cached.

usage: package_test.py SOURCE_DIR BUILD_DIR
"""
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / 'lib'))

from udmaview_test import kernel, procs, tap  # noqa: E402

SOURCE_DIR, BUILD_DIR = Path(sys.argv[1]), Path(sys.argv[2])
TOOLS = ['dpkg-buildpackage', 'dpkg-checkbuilddeps', 'dh', 'dh_dkms', 'fakeroot', 'lintian']


def copy_source(tmp: Path, dest: Path):
    """The files git knows or would add (no build directories, no ignored output)."""
    rc, listing, _ = procs.run('git-ls-files', ['git', '-C', SOURCE_DIR, 'ls-files', '-z',
                                                '--cached', '--others', '--exclude-standard'],
                               60, out_dir=tmp)
    if rc != 0:
        raise tap.Skipped(f'{SOURCE_DIR} is not a git checkout: cannot tell sources from '
                          'build products')
    for name in listing.split('\0'):
        src = SOURCE_DIR / name
        if name and (src.is_file() or src.is_symlink()):
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name, follow_symlinks=False)


def build(tmp: Path, src: Path):
    env = dict(os.environ, DEB_BUILD_OPTIONS=f'nocheck parallel={os.cpu_count() or 1}',
               DEB_BUILD_PROFILES='nocheck')
    rc, out, err = procs.run('checkbuilddeps', ['env', '-C', src, 'dpkg-checkbuilddeps'], 60,
                             out_dir=tmp, env=env)
    if rc != 0:
        raise tap.Skipped(f'build dependencies missing: {err.strip()}')
    rc, out, err = procs.run('dpkg-buildpackage', ['env', '-C', src, 'dpkg-buildpackage',
                                                   '-us', '-uc', '-b'], 1500, out_dir=tmp,
                             env=env)
    if rc != 0:
        tap.log((out + err)[-6000:])
    tap.check(rc == 0, 'dpkg-buildpackage -us -uc -b exits 0')
    debs = {re.sub(r'_.*', '', p.name): p for p in tmp.glob('*.deb')}
    tap.check(set(debs) >= {'udmaview', 'udmabuf-dkms'},
              f'udmaview and udmabuf-dkms .debs are built ({sorted(debs)})')
    return debs


def run_lintian(tmp: Path):
    changes = next(tmp.glob('*.changes'))
    rc, out, err = procs.run('lintian', ['lintian', '--fail-on', 'error',
                                         '--tag-display-limit', '0', changes], 300, out_dir=tmp)
    errors = [l for l in out.splitlines() if l.startswith('E:')]
    warnings = [l for l in out.splitlines() if l.startswith('W:')]
    tap.log(f'lintian: {len(errors)} errors, {len(warnings)} warnings')
    for line in errors + warnings:
        tap.log(line)
    tap.expect(rc == 0 and not errors, 'lintian reports no errors', err)


def check_unpacked(tmp: Path, debs):
    root = tmp / 'root'
    for deb in debs.values():
        rc, _, err = procs.run(f'dpkg-x-{deb.name}', ['dpkg', '-x', deb, root], 60, out_dir=tmp)
        if rc != 0:
            tap.log(err)
        tap.check(rc == 0, f'dpkg -x {deb.name}')
    for path in ['usr/bin/udmaview', 'usr/bin/udmaview-timing',
                 'usr/share/man/man1/udmaview.1.gz', 'usr/share/man/man1/udmaview-timing.1.gz',
                 'usr/share/bash-completion/completions/udmaview',
                 'usr/lib/udev/rules.d/60-udmabuf.rules',
                 'usr/lib/systemd/system/udmaview@.service',
                 'usr/lib/systemd/system/udmaview-libvirt@.service',
                 'usr/share/doc/udmaview/examples/qemu-udmaview.conf',
                 'usr/share/udmaview/udmaview_timing/cli.py',
                 'usr/src/udmabuf-1.0/dkms.conf', 'usr/src/udmabuf-1.0/udmabuf.c',
                 'usr/src/udmabuf-1.0/Kbuild', 'usr/src/udmabuf-1.0/Makefile']:
        tap.expect((root / path).is_file(), f'packaged: /{path}')
    rc, out, _ = procs.run('deb-version', [root / 'usr/bin/udmaview', '--version'], 30,
                           out_dir=tmp)
    tap.expect(rc == 0 and out.startswith('udmaview '), 'packaged udmaview --version', out)
    rc, out, _ = procs.run('deb-help', [root / 'usr/bin/udmaview', '--help'], 30, out_dir=tmp)
    tap.expect(rc == 0 and '--source' in out, 'packaged udmaview --help')
    rc, out, err = procs.run('deb-demo', [root / 'usr/bin/udmaview', '--frames', '5', '--fps',
                                          '0', '--size', '64x48'], 60, out_dir=tmp)
    tap.expect(rc == 0 and '5 frames' in err, 'packaged udmaview shows the demo', err)
    env = dict(os.environ, PYTHONPATH=str(root / 'usr/share/udmaview'))
    rc, out, err = procs.run('deb-timing', [root / 'usr/bin/udmaview-timing', '--help'], 60,
                             out_dir=tmp, env=env)
    tap.expect(rc == 0 and 'plot' in out, 'packaged udmaview-timing --help', err)
    return root


def dkms_build(tmp: Path, root: Path):
    """dkms builds the packaged source with its dkms.conf, against Debian's 6.1 headers."""
    try:
        k = kernel.cached(BUILD_DIR / 'vm-cache')
    except tap.Failed as exc:
        tap.log(f'SKIP dkms build: {exc}')
        return
    if not k.headers.is_dir() or not shutil.which('dkms'):
        tap.log(f'SKIP dkms build: no dkms or no headers at {k.headers}')
        return
    tree = tmp / 'dkms'
    tree.mkdir()
    rc, out, err = procs.run('dkms-build', [
        'dkms', 'build', 'udmabuf/1.0', '-k', k.kver, '--kernelsourcedir', k.headers,
        '--sourcetree', root / 'usr/src', '--dkmstree', tree, '--no-depmod'], 300, out_dir=tmp)
    built = list(tree.glob(f'udmabuf/1.0/{k.kver}/*/module/udmabuf.ko*'))
    if rc != 0 or not built:
        tap.log(out + err)
        for log in tree.glob('udmabuf/1.0/build/make.log'):
            tap.log(log.read_text()[-4000:])
    tap.expect(rc == 0 and built, f'dkms builds udmabuf.ko from the package for {k.kver}')


def main():
    procs.install_signal_handlers()
    missing = [t for t in TOOLS if not shutil.which(t)]
    if missing:
        raise tap.Skipped(f'not installed: {", ".join(missing)} (tools/install-deps)')
    with tempfile.TemporaryDirectory(prefix='udmaview-deb-') as tmp:
        tmp = Path(tmp)
        src = tmp / 'udmaview'
        copy_source(tmp, src)
        debs = build(tmp, src)
        run_lintian(tmp)
        root = check_unpacked(tmp, debs)
        dkms_build(tmp, root)


if __name__ == '__main__':
    tap.set_name('package')
    sys.exit(tap.main(main))
