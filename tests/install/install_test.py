#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""`meson install` into a staging directory (DESTDIR), then what a user runs from there: the
installed udmaview (--version, --help equal to the built binary's), udmaview-timing, and the
installed systemd units and udev rule checked as systemd and udev would read them.

usage: install_test.py MESON BUILD_DIR UDMAVIEW
"""
import json
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / 'lib'))

from udmaview_test import procs, tap  # noqa: E402

MESON, BUILD_DIR, UDMAVIEW = sys.argv[1:4]
HAVE_LIBVIRT = sys.argv[4] == 'libvirt'  # what meson found

# What a user runs or the system reads, by the name it is installed under.
EXPECTED = ['bin/udmaview', 'bin/udmaview-timing', 'man1/udmaview.1', 'man1/udmaview-timing.1',
            'completions/udmaview',
            'rules.d/60-udmabuf.rules', 'system/udmaview@.service',
            'examples/qemu-udmaview.conf', 'udmaview_timing/cli.py']
# The KMS gl path's import probe helper, where the gl path is built.
if (Path(BUILD_DIR) / 'udmaview-gl-probe').exists():
    EXPECTED.append('libexec/udmaview-gl-probe')


def staged(stage: Path, installed: str) -> Path:
    return stage / installed.lstrip('/')


def install(tmp: Path):
    stage = tmp / 'stage'
    env = dict(os.environ, DESTDIR=str(stage))
    rc, _, err = procs.run('meson-install', [MESON, 'install', '-C', BUILD_DIR, '--no-rebuild',
                                             '--quiet'], 120, out_dir=tmp, env=env)
    tap.check(rc == 0, f'meson install with DESTDIR={stage} exits 0')
    if rc != 0:
        tap.log(err)
    rc, out, err = procs.run('introspect', [MESON, 'introspect', '--installed', BUILD_DIR], 60,
                             out_dir=tmp)
    tap.check(rc == 0, 'meson introspect --installed works')
    installed = sorted(set(json.loads(out).values()))
    missing = [p for p in installed if not staged(stage, p).exists()]
    tap.expect(not missing, f'all {len(installed)} installed files are in the staging '
               f'directory', f'missing: {missing}')
    outside = [p for p in staged_files(stage) if p not in installed]
    tap.expect(not outside, 'nothing else was staged', f'unexpected: {outside}')
    for name in EXPECTED:
        tap.expect(any(p.endswith('/' + name) for p in installed), f'{name} is installed')
    return stage, installed


def staged_files(stage: Path):
    return ['/' + str(p.relative_to(stage)) for p in stage.rglob('*')
            if p.is_file() or p.is_symlink()]


def find(stage: Path, installed, name: str) -> Path:
    return staged(stage, next(p for p in installed if p.endswith('/' + name)))


def check_binaries(tmp: Path, stage: Path, installed):
    udmaview = find(stage, installed, 'bin/udmaview')
    rc, out, _ = procs.run('version', [udmaview, '--version'], 30, out_dir=tmp)
    tap.expect(rc == 0 and re.fullmatch(r'udmaview \d+\.\d+\.\d+\S*\n', out) is not None,
               'installed udmaview --version', out)
    rc, staged_help, _ = procs.run('help-staged', [udmaview, '--help'], 30, out_dir=tmp)
    _, built_help, _ = procs.run('help-built', [UDMAVIEW, '--help'], 30, out_dir=tmp)
    tap.expect(rc == 0 and staged_help == built_help and '--source' in staged_help,
               'installed udmaview --help prints the built binary\'s help')

    # The command's package directory is written in at configure time as the final (not the
    # staged) location; from the staging directory it is found through PYTHONPATH instead.
    timing = find(stage, installed, 'bin/udmaview-timing')
    package = find(stage, installed, 'udmaview_timing/cli.py').parent
    line = next(l for l in timing.read_text().splitlines() if 'INSTALLED_PACKAGE_DIR =' in l)
    tap.expect(f'"/{package.parent.relative_to(stage)}"' in line,
               'udmaview-timing names the installed package directory', line)
    env = dict(os.environ, PYTHONPATH=str(package.parent))
    rc, out, err = procs.run('timing-help', [timing, '--help'], 60, out_dir=tmp, env=env)
    tap.expect(rc == 0 and 'plot' in out and 'compare' in out,
               'installed udmaview-timing --help', out + err)


def service_args(unit_text: str, settings: dict):
    """The udmaview arguments of ExecStart=, with the unit's environment as systemd expands it
    (the settings file's variables, UDMAVIEW_OPTIONS empty)."""
    line = next(l for l in unit_text.splitlines() if l.startswith('ExecStart='))
    words = [w for w in line[len('ExecStart='):].split() if w != '$UDMAVIEW_OPTIONS']
    for key, value in settings.items():
        words = [w.replace('${' + key + '}', value) for w in words]
    return words[0], words[1:]


def check_service_args(tmp: Path, stage: Path, installed, unit: Path, settings: dict):
    """The unit runs the installed binary and its options parse; returns (binary, args)."""
    binary, args = service_args(unit.read_text(), settings)
    tap.expect(binary in installed and Path(binary).name == 'udmaview',
               f'{unit.name} runs the installed binary ({binary})')
    # --help after the service's options: they parse (exit 0) or udmaview says which is bad.
    rc, _, err = procs.run(f'args-{unit.name}', [staged(stage, binary), *args, '--help'], 30,
                           out_dir=tmp)
    tap.expect(rc == 0, f'udmaview accepts the options of {unit.name}: {args}', err)
    return binary, args


def verify_units(tmp: Path, stage: Path, installed, folder: str, files: dict, names):
    """systemd-analyze verify of names, with files (name -> text, or a unit name to link to)
    in a unit folder of their own; ExecStart= and man:udmaview(1) point at the staged files."""
    analyze = shutil.which('systemd-analyze')
    if not analyze:
        tap.log('SKIP systemd-analyze verify: systemd-analyze is not installed')
        return
    units = tmp / folder
    units.mkdir()
    for name, content in files.items():
        (units / name).parent.mkdir(parents=True, exist_ok=True)
        if content.endswith('.service'):
            (units / name).symlink_to(content)
        else:
            (units / name).write_text(content)
    env = dict(os.environ, SYSTEMD_UNIT_PATH=f'{units}:',
               MANPATH=str(find(stage, installed, 'udmaview.1').parents[1]))
    for name in names:
        rc, out, err = procs.run(f'verify-{name}', [analyze, 'verify', units / name], 60,
                                 out_dir=tmp, env=env)
        # Unknown keys are only warnings (exit 0): every line about our files counts.
        ours = [l for l in (out + err).splitlines() if 'udmaview' in l or 'qemu-vm1' in l]
        tap.expect(rc == 0 and not ours, f'systemd-analyze verify {name}: no complaints',
                   out + err)


def staged_unit_text(stage: Path, unit: Path, binary: str) -> str:
    return unit.read_text().replace(f'ExecStart={binary} ', f'ExecStart={staged(stage, binary)} ')


def check_units(tmp: Path, stage: Path, installed):
    unit = find(stage, installed, 'udmaview@.service')
    binary, args = check_service_args(tmp, stage, installed, unit, {'UDMAVIEW_GUEST': 'vm1'})
    tap.expect('--source qemu-p2p:/run/udmaview/vm1.qmp' in ' '.join(args) and
               '--reconnect' in args and '--output kms' in ' '.join(args),
               'the service shows the guest full screen and waits for QEMU')
    verify_units(tmp, stage, installed, 'units', {
        'udmaview@.service': staged_unit_text(stage, unit, binary),
        'udmaview@tty2.service': 'udmaview@.service',
        'qemu-vm1.service': '[Unit]\nDescription=a QEMU guest\n[Service]\nExecStart=/bin/true\n',
        'qemu-vm1.service.d/udmaview.conf':
            find(stage, installed, 'qemu-udmaview.conf').read_text(),
    }, ['udmaview@tty2.service', 'qemu-vm1.service'])


def check_libvirt_unit(tmp: Path, stage: Path, installed):
    """udmaview-libvirt@.service: installed exactly when the libvirt source is built in; its
    ExecStart parses with the settings file's UDMAVIEW_DOMAIN and shows that domain."""
    units = [i for i in installed if Path(i).name == 'udmaview-libvirt@.service']
    tap.expect(bool(units) == HAVE_LIBVIRT,
               f'udmaview-libvirt@.service installed exactly when libvirt is built in '
               f'(unit {"installed" if units else "absent"}, libvirt {HAVE_LIBVIRT})')
    if not units:
        return
    unit = find(stage, installed, 'udmaview-libvirt@.service')
    binary, args = check_service_args(tmp, stage, installed, unit, {'UDMAVIEW_DOMAIN': 'vm1'})
    tap.expect('--source libvirt:vm1' in ' '.join(args) and '--reconnect' in args and
               '--output kms' in ' '.join(args),
               'the libvirt unit shows domain vm1 full screen and follows it')
    tap.expect('After=libvirtd.service' in unit.read_text(),
               'the libvirt unit starts after libvirtd')
    verify_units(tmp, stage, installed, 'libvirt-units', {
        'udmaview-libvirt@.service': staged_unit_text(stage, unit, binary),
        'udmaview-libvirt@tty2.service': 'udmaview-libvirt@.service',
    }, ['udmaview-libvirt@tty2.service'])


def check_udev_rule(tmp: Path, stage: Path, installed):
    rule = find(stage, installed, '60-udmabuf.rules')
    lines = [l for l in rule.read_text().splitlines() if l and not l.startswith('#')]
    tap.expect(lines == ['SUBSYSTEM=="misc", KERNEL=="udmabuf", GROUP="kvm", MODE="0660"'],
               'the udev rule gives /dev/udmabuf to group kvm, mode 0660', str(lines))
    udevadm = shutil.which('udevadm')
    if not udevadm:
        tap.log('SKIP udevadm verify: udev is not installed')
        return
    rc, out, err = procs.run('udevadm-verify', [udevadm, 'verify', rule], 30, out_dir=tmp)
    if rc != 0 and 'verify' in err.lower() and 'unknown' in err.lower():
        tap.log('SKIP udevadm verify: needs udev 254 or later')
        return
    tap.expect(rc == 0, 'udevadm verify accepts the rule', out + err)


def main():
    procs.install_signal_handlers()
    with tempfile.TemporaryDirectory(prefix='udmaview-install-') as tmp:
        stage, installed = install(Path(tmp))
        check_binaries(Path(tmp), stage, installed)
        check_units(Path(tmp), stage, installed)
        check_libvirt_unit(Path(tmp), stage, installed)
        check_udev_rule(Path(tmp), stage, installed)


if __name__ == '__main__':
    tap.set_name('install')
    sys.exit(tap.main(main))
