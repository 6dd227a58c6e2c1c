# SPDX-License-Identifier: MIT
"""Mesa 25.0 for one process: the prefix tests/e2e/mesa/fetch-mesa25 extracts (Debian's
bookworm-backports build, never installed) and the environment that selects it."""

from pathlib import Path

from . import procs
from .tap import Failed

FETCH_MESA25 = Path(__file__).resolve().parents[2] / 'e2e' / 'mesa' / 'fetch-mesa25'
LIBDIR = 'usr/lib/x86_64-linux-gnu'


class MesaUnavailable(Failed):
    """The Mesa 25 prefix could not be fetched (no Debian registry reachable?)."""


def fetch(cache, script=FETCH_MESA25, timeout: float = 600) -> Path:
    """The cached prefix, fetched once per cache dir (the script flocks; its messages go to
    our stderr)."""
    return procs.fetched_path([script, cache], timeout, MesaUnavailable,
                              'see its messages above: they name the package and suite')


def env(prefix) -> dict:
    """The variables that make libglvnd, GBM and the DRI loader take prefix's Mesa."""
    p = Path(prefix)
    return {'LD_LIBRARY_PATH': str(p / LIBDIR),
            'LIBGL_DRIVERS_PATH': str(p / LIBDIR / 'dri'),
            '__EGL_VENDOR_LIBRARY_FILENAMES': str(p / 'usr/share/glvnd/egl_vendor.d/50_mesa.json'),
            'GBM_BACKENDS_PATH': str(p / LIBDIR / 'gbm')}


def version(prefix) -> str:
    """The Debian package version fetch-mesa25 recorded ("25.0.7-2~bpo12+1")."""
    return (Path(prefix) / 'version').read_text().strip()
