#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""End-to-end tests of `udmaview --output sdl` on a private Xvfb with Mesa (llvmpipe).

usage: sdl_e2e.py UDMAVIEW CASE [OUTDIR [CACHE_DIR]]
CASE: formats | damage | input | close | errors | hud | tiles | mesa25
mesa25 runs udmaview on Mesa 25.0, fetched once into CACHE_DIR by tests/e2e/mesa/fetch-mesa25.

Every case starts its own Xvfb (Xvfb picks a free display number itself with -displayfd),
owns it, and kills it by PID on every path (finally + atexit). Screenshots are taken of the
root window with ImageMagick `import` (exact pixels on Xvfb) and cropped to the udmaview window
as `xwininfo` places it. Expected pictures come from `udmaview --output headless --dump-png`
with the same size/format/pattern/seed/frame count: the demo is a pure function of those.

Tolerance: 0 (every channel of every pixel equal) for the 8-bit-per-channel formats: at 1:1
scale each window pixel samples its texel at the texel centre, so nearest and linear filters
both return the stored 8-bit value, and the shader only moves channels. For RGB565 a GPU may
expand 5/6-bit channels as round(v * 255 / 31) where udmaview's own conversion replicates bits;
the two differ by at most 1, so RGB565 is allowed a difference of 1 per channel (llvmpipe here
measured 0).
Exit status: 0 pass, 1 fail, 77 skip (a tool is missing). The cases are the modules of
sdl_tests/.
"""
import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "lib"))

from sdl_tests import (close, common, damage, errors, formats, hud, input_events,  # noqa: E402
                       mesa25, tiles)
from udmaview_test import procs, tap  # noqa: E402
from udmaview_test.tap import Skipped, log  # noqa: E402


CASES = {"formats": formats.run, "damage": damage.run, "input": input_events.run,
         "close": close.run, "errors": errors.run, "hud": hud.run, "mesa25": mesa25.run,
         "tiles": tiles.run}


def run_case(case):
    missing = [t for t in common.TOOLS if not shutil.which(t)]
    if missing:
        raise Skipped("missing " + ", ".join(missing) + " (tools/install-deps installs them)")
    log(f"output in {common.OUTDIR}")
    CASES[case]()


def main():
    if len(sys.argv) < 3 or sys.argv[2] not in CASES:
        print(__doc__, file=sys.stderr)
        return 2
    common.UDMAVIEW = os.path.abspath(sys.argv[1])
    common.OUTDIR = os.path.join(sys.argv[3] if len(sys.argv) > 3 else tempfile.mkdtemp(),
                                 "sdl-e2e-" + sys.argv[2])
    os.makedirs(common.OUTDIR, exist_ok=True)
    common.CACHE_DIR = sys.argv[4] if len(sys.argv) > 4 else os.path.join(common.OUTDIR, "cache")
    tap.set_name("sdl " + sys.argv[2])
    procs.install_signal_handlers()
    return tap.main(run_case, sys.argv[2])


if __name__ == "__main__":
    sys.exit(main())
