# SPDX-License-Identifier: MIT
"""A test-owned libvirtd (+ virtlogd) from Debian's libvirt-daemon-system, as root, on a machine
without systemd: in a mount namespace of its own, /etc/libvirt, /run/libvirt, /var/lib/libvirt,
/var/cache/libvirt and /var/log/libvirt are private directories of the test, so the machine's
libvirt (if any) is neither seen nor touched. Its sockets are in <dir>/sock, reached with the
URI qemu:///system?socket=<dir>/sock/libvirt-sock. The QEMU config turns off what a container
lacks (cgroups, namespaces, a security driver). libvirtd and virtlogd are one owned process
group; the QEMU and dbus-daemon processes libvirtd starts leave that group, so stop() destroys
every domain and then kills each PID libvirt recorded in its private run directory."""

import os
import shutil
import signal
import subprocess
from pathlib import Path

from . import procs
from .tap import Failed, Skipped, log

LIBVIRTD = '/usr/sbin/libvirtd'
VIRTLOGD = '/usr/sbin/virtlogd'
VIRSH = shutil.which('virsh') or '/usr/bin/virsh'

QEMU_CONF = """cgroup_controllers = [ ]
security_driver = "none"
user = "root"
group = "root"
namespaces = [ ]
"""

# The mount namespace's setup, then virtlogd in the background (same process group) and
# libvirtd in the foreground (the group leader: its PID is the process's).
START = """set -e
mount --make-rprivate /
for d in etc:/etc/libvirt run:/run/libvirt lib:/var/lib/libvirt cache:/var/cache/libvirt \
         log:/var/log/libvirt; do
  mkdir -p "${d#*:}"; mount --bind "$DIR/${d%%:*}" "${d#*:}"
done
VIRTLOGD &
exec LIBVIRTD --config /etc/libvirt/libvirtd.conf
"""


class Libvirtd:
    def __init__(self, tmp):
        self.dir = Path(tmp) / 'libvirt'
        self.uri = f'qemu:///system?socket={self.dir}/sock/libvirt-sock'
        self.proc = None
        self.old = []  # earlier libvirtd processes (restart_daemon), for stop()
        self.tmp = tmp

    def start(self, timeout=30):
        if os.geteuid() != 0:
            raise Skipped('the libvirt tests run libvirtd as root (run them as root)')
        for tool in (LIBVIRTD, VIRTLOGD, VIRSH, '/usr/bin/unshare'):
            if not os.path.exists(tool):
                raise Skipped(f'{tool} missing: install libvirt-daemon-system libvirt-clients '
                              '(tools/install-deps)')
        for sub in ('run', 'lib', 'cache', 'log', 'sock'):
            (self.dir / sub).mkdir(parents=True, exist_ok=True)
        shutil.copytree('/etc/libvirt', self.dir / 'etc', symlinks=True)
        (self.dir / 'etc' / 'qemu.conf').write_text(QEMU_CONF)
        (self.dir / 'etc' / 'libvirtd.conf').write_text(
            f'unix_sock_dir = "{self.dir}/sock"\nauth_unix_rw = "none"\nauth_unix_ro = "none"\n'
            # root only: another user meets "Permission denied", as on a real host
            'unix_sock_rw_perms = "0700"\nunix_sock_ro_perms = "0700"\n')
        return self.spawn(timeout)

    def restart_daemon(self, timeout=30):
        """libvirtd alone stopped (SIGTERM, as `systemctl restart libvirtd` does) and started
        again on the same directories; its domains, their dbus-daemons and virtlogd go on."""
        os.kill(self.proc.pid, signal.SIGTERM)
        procs.wait_until('libvirtd stopped', lambda: not self.proc.running(), timeout)
        self.old.append(self.proc)  # its process group still holds virtlogd
        return self.spawn(timeout)

    def spawn(self, timeout):
        script = START.replace('VIRTLOGD', VIRTLOGD).replace('LIBVIRTD', LIBVIRTD)
        env = dict(os.environ, DIR=str(self.dir))
        self.proc = procs.start('libvirtd', ['/usr/bin/unshare', '-m', 'sh', '-c', script],
                                env=env, stdout=Path(self.tmp) / 'libvirtd.out',
                                stderr=Path(self.tmp) / 'libvirtd.err')
        procs.wait_until('libvirtd answering', lambda: self.virsh_ok('version'), timeout, 0.3,
                         proc=self.proc)
        log(f'libvirtd (pid {self.proc.pid}) at {self.uri}: '
            + self.virsh('version').splitlines()[0:4].__str__())
        return self

    def virsh_run(self, *args, timeout=60):
        return subprocess.run([VIRSH, '-c', self.uri, *args], capture_output=True, text=True,
                              timeout=timeout, check=False)

    def virsh_ok(self, *args) -> bool:
        return self.virsh_run(*args).returncode == 0

    def virsh(self, *args, timeout=60) -> str:
        p = self.virsh_run(*args, timeout=timeout)
        if p.returncode != 0:
            raise Failed(f'virsh {" ".join(args)}: {p.stderr.strip()}')
        return p.stdout

    def define(self, xml: str, name: str):
        path = Path(self.tmp) / f'{name}.xml'
        path.write_text(xml)
        self.virsh('define', str(path))

    def state(self, name) -> str:
        return self.virsh('domstate', name).strip()

    def nsenter(self, argv):
        """argv run inside libvirtd's mount namespace (where its /run/libvirt is)."""
        return ['/usr/bin/nsenter', '-m', '-t', str(self.proc.pid), *argv]

    def stop(self):
        if not self.proc:
            return
        if self.proc.running():
            for name in self.virsh_run('list', '--name').stdout.split():
                self.virsh_run('destroy', name, timeout=20)
        # Whatever libvirt started and recorded (QEMU, the per-domain dbus-daemon).
        for pidfile in (self.dir / 'run').rglob('*.pid'):
            try:
                pid = int(pidfile.read_text().strip())
            except (OSError, ValueError):
                continue
            if pid != self.proc.pid and pid > 1:
                try:
                    os.kill(pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
        self.proc.kill(signal.SIGTERM, 10)
        for old in self.old:
            old.kill(signal.SIGTERM, 10)
        self.proc = None
