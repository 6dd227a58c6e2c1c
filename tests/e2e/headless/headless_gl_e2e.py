#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The headless output's --render gl: the GLES renderer on the EGL device platform, drawing
the demo's buffers (memfd fds: the host has no /dev/udmabuf) into an offscreen framebuffer;
and its --render pixman: the CPU renderer drawing each frame's damage into memory.

usage: headless_gl_e2e.py UDMAVIEW PROBE CASE OUTDIR [CACHE_DIR | FORMATS [SCALED]]
CASE: mesa25 | mesa22 | pixman | vm-mesa25; PROBE: udmaview-gl-probe, or - in a build without it;
FORMATS, SCALED (vm-mesa25 only): the formats to run, and those of them also drawn scaled,
comma separated (default all nine, and XRGB8888; "-" for none)

mesa25 runs on Mesa 25.0 (fetched once into CACHE_DIR by tests/e2e/mesa/fetch-mesa25), whose
software device imports a dma-buf by mmap: the formats in IMPORTED must take the gl-import
path with 0 bytes copied and one import per buffer, and a buffer the demo changes while it
is not shown must appear without a new import. The formats Mesa refuses (measured: the
24-bit ones and RGBX/BGRX, eglCreateImageKHR EGL_BAD_MATCH) fall back to uploading damage.
mesa22 runs on the machine's Mesa 22.3, whose device offers no dma-buf import: every format
uploads. pixman reads every buffer through one mapping (path pixman, one mapping per
buffer, the damage it reads counted as copied). In all, every format's picture equals the CPU dump of the same frame exactly,
scaled 2x nearest exactly and 2.5x linear within LINEAR_TOLERANCE of Pillow's bilinear.
The import probe (`udmaview-gl-probe device`, what the viewer runs before it trusts an
import) must say `usable` with its reason on Mesa 25 and `refused` on Mesa 22.3, in its JSON
line and its exit status. About 30 s per case.
vm-mesa25 runs inside the VM test bed (tests/vm/run --mesa 25, which selects the prefix): the
same checks on real udmabufs (the demo's buffers and the probe's are dma-bufs of /dev/udmabuf,
and every imported frame is counted as sampled from a dma-buf), each gl run under
LeakSanitizer. There, Mesa 25 itself leaks a fixed set of blocks per process (measured: about
70 KB in 702 allocations, all from libgallium, the same for 75 or 150 frames, importing or
uploading), so no suppression is used: every gl run must leak exactly what a baseline run
leaks (2 frames, upload, no import) – an EGLImage, texture or buffer left behind per import or
per frame changes the count. Under TCG the first gl frame takes about 3 s (llvmpipe compiles
its shaders), and the frames the demo makes meanwhile are dropped (the latest wins), so buffer
1 may never be shown: there, one import per buffer shown is required, and the proof that a
change appears without a new import is buffer 0, imported at its first shown frame, drawn into
until frame 75 and shown then from the same import, equal to the CPU dump. Each gl run costs
about 10 s under TCG, so the VM runs the formats and scaled draws it is given."""
import json
import os
import re
import sys
from pathlib import Path

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "lib"))

from udmaview_test import images, mesa, procs, tap, timing  # noqa: E402
from udmaview_test.tap import Failed, check, log  # noqa: E402

FORMATS = ("XRGB8888", "ARGB8888", "XBGR8888", "ABGR8888", "RGB565", "RGB888", "BGR888",
           "RGBX8888", "BGRX8888")
# What Mesa 25.0's software device imports (measured on Debian's 25.0.7 build).
IMPORTED = {"XRGB8888", "ARGB8888", "XBGR8888", "ABGR8888", "RGB565"}
# "all": buffer 0, flip to buffer 1 at frame 31, back to 0 at 61: buffer 0 changes while
# buffer 1 is shown, so frame 75 shows it only if the import follows the memfd.
DEMO = ["--source", "demo", "--size", "320x240", "--pattern", "all", "--seed", "7",
        "--frames", "75", "--fps", "60"]
BUFFERS = 2
LIBLSAN = "/usr/lib/x86_64-linux-gnu/liblsan.so.0"
LEAK_SUMMARY = re.compile(r"SUMMARY: LeakSanitizer: (\d+) byte\(s\) leaked in (\d+) allocation")
LINEAR_TOLERANCE = 2
SCALED = (("nearest", 640, 480, 0), ("linear", 800, 600, LINEAR_TOLERANCE))


class Case:
    def __init__(self, udmaview, outdir, env, importing, dmabuf=False):
        self.udmaview, self.outdir, self.env, self.importing = udmaview, outdir, env, importing
        self.dmabuf = dmabuf  # the buffers are udmabufs (the VM), not memfds (the host)
        self.render = "gl"
        self.gl_env = env
        self.leak_baseline = None  # (bytes, allocations) every gl run must leak, under LSan
        # The CPU reference is the same picture at any pace: as fast as possible under TCG.
        self.ref_demo = DEMO if not dmabuf else DEMO[:-1] + ["0"]

    def run(self, name, args, env=None):
        # 300 s: under TCG in the VM, llvmpipe's first shader compile alone takes a minute.
        status, _, err = procs.run(name, [self.udmaview, "--output", "headless"] + args, 300,
                                   out_dir=self.outdir, env=env or self.env)
        if status != 0:
            raise Failed(f"{name}: udmaview exited {status}: {err[-1500:]}")
        return err

    def leaked(self, err):
        m = LEAK_SUMMARY.search(err)
        return (int(m[1]), int(m[2])) if m else (0, 0)

    def measure_leak_baseline(self):
        err = self.run("leak-baseline", DEMO[:-4] + ["--frames", "2", "--render", "gl"],
                       dict(self.gl_env, UDMAVIEW_EGL_NO_IMPORT="1"))
        self.leak_baseline = self.leaked(err)
        log(f"LeakSanitizer: a 2-frame upload run leaks {self.leak_baseline[0]} bytes in "
            f"{self.leak_baseline[1]} allocations (Mesa's own)")

    def reference(self, fmt):
        path = os.path.join(self.outdir, f"cpu-{fmt}.png")
        self.run(f"cpu-{fmt}", self.ref_demo + ["--format", fmt, "--dump-png", path])
        return path

    def gl(self, name, fmt, extra):
        png = os.path.join(self.outdir, f"{name}.png")
        report = os.path.join(self.outdir, f"{name}.json")
        err = self.run(name, DEMO + ["--format", fmt, "--render", self.render, "--dump-png",
                                     png, "--timing", report] + extra, self.gl_env)
        if self.leak_baseline is not None:
            leak = self.leaked(err)
            check(leak == self.leak_baseline, f"{name}: leaks no more than the baseline run "
                  f"(LeakSanitizer: {leak[0]} bytes in {leak[1]} allocations, baseline "
                  f"{self.leak_baseline[0]} in {self.leak_baseline[1]}; see {name}.err)")
        return png, timing.load(report)

    def check_report(self, name, fmt, report):
        summary = report["summary"]
        counters = summary.get("output_counters", {})
        shown = [f for f in report["frames"] if not f["dropped"]]
        paths = {f["path"] for f in shown}
        imports = sum(f["imports"] for f in report["frames"])
        if self.render == "pixman":
            check(paths == {"pixman"}, f"{name}: every shown frame drawn by pixman "
                  f"({sorted(paths)})")
            check(imports == BUFFERS and counters.get("pixman_buffers") == BUFFERS,
                  f"{name}: one mapping per buffer ({imports} imports, {counters})")
            check(summary["bytes_copied_total"] > 0 and counters.get("pixman_drawn_pixels", 0) > 0,
                  f"{name}: the damage read and drawn is counted ({summary['bytes_copied_total']}"
                  f" bytes, {counters})")
            return "pixman"
        check(counters.get("egl_dma_buf_import") == (1 if self.importing else 0),
              f"{name}: the EGL device offers dma-buf import: "
              f"{counters.get('egl_dma_buf_import')} ({counters})")
        shown_buffers = {f["buffer_id"] for f in shown}
        want = len(shown_buffers) if self.dmabuf else BUFFERS
        check(imports == want and (not self.dmabuf or (
            shown[-1]["seq"] == 75 and shown[0]["buffer_id"] == shown[-1]["buffer_id"])),
              f"{name}: {imports} imports, one per buffer shown ({want}; frames "
              f"{shown[0]['seq']} and 75 of buffer {shown[-1]['buffer_id']} shown)")
        sampled_dmabuf = counters.get("gl_import_dmabuf_frames")
        if self.importing and fmt in IMPORTED and self.dmabuf:
            check(sampled_dmabuf == len(shown), f"{name}: every shown frame sampled an imported "
                  f"udmabuf ({sampled_dmabuf} of {len(shown)})")
        else:
            check(sampled_dmabuf == 0, f"{name}: no frame sampled a dma-buf import "
                  f"({sampled_dmabuf}; the buffers are {'udmabufs' if self.dmabuf else 'memfds'})")
        if self.importing and fmt in IMPORTED:
            check(paths == {"gl-import"}, f"{name}: every shown frame sampled the import "
                  f"({sorted(paths)})")
            check(summary["bytes_copied_total"] == 0,
                  f"{name}: 0 bytes copied ({summary['bytes_copied_total']})")
            check(counters.get("gl_import_frames") == len(shown) and
                  counters.get("gl_upload_frames") == 0,
                  f"{name}: counters name the import for {len(shown)} frames ({counters})")
        else:
            check(paths == {"gl-upload"}, f"{name}: every shown frame uploaded its damage "
                  f"({sorted(paths)})")
            check(summary["bytes_copied_total"] > 0,
                  f"{name}: the upload counts its bytes ({summary['bytes_copied_total']})")
            check(counters.get("gl_import_frames") == 0,
                  f"{name}: no frame counted as imported ({counters})")
        return sorted(paths)[0] if paths else "none"

    def scaled_reference(self, ref, filt, w, h):
        path = os.path.join(self.outdir, f"cpu-scaled-{filt}-{w}x{h}.png")
        images.scaled(ref, w, h, filt).save(path)
        return path


PROBE_STATUS = {"usable": 0, "refused": 11}


def check_probe(probe, case, outdir, env):
    want = "refused" if case == "mesa22" else "usable"
    buffer = "udmabuf" if case == "vm-mesa25" else "memfd"
    status, out, err = procs.run(f"probe-{case}", [probe, "device"], 60, out_dir=outdir,
                                 env=env)
    lines = out.strip().splitlines()
    check(len(lines) == 1, f"probe: one JSON line on stdout ({out!r}, stderr {err[-500:]!r})")
    verdict = json.loads(lines[0])
    log(f"probe verdict: {verdict}")
    check(verdict.get("verdict") == want and status == PROBE_STATUS[want],
          f"probe: verdict {want} with exit status {PROBE_STATUS[want]} "
          f"(got {verdict.get('verdict')}, {status})")
    check(verdict.get("display") == "device:software" and verdict.get("buffer") == buffer,
          f"probe: sampled a {buffer} on the software device ({verdict})")
    check(bool(verdict.get("reason")), f"probe: the verdict gives its reason ({verdict})")
    if want == "usable":
        check("zero copy" in verdict["reason"], f"probe: the reason names the zero copy "
              f"({verdict['reason']})")


def run_case(case, udmaview, probe, outdir, cache, formats=FORMATS,
             scaled_formats=("XRGB8888", "RGB565")):
    env = dict(os.environ)
    if case == "mesa25":
        prefix = mesa.fetch(cache)
        log(f"Mesa {mesa.version(prefix)} from {prefix}")
        env.update(mesa.env(prefix))
    if case == "vm-mesa25":
        check(os.path.exists("/dev/udmabuf") and env.get("UDMAVIEW_VM_MESA"),
              "in the VM test bed with /dev/udmabuf and Mesa 25 (tests/vm/run --mesa 25)")
        log(f"Mesa {env['UDMAVIEW_VM_MESA']} on kernel {os.uname().release}")
    if probe != "-" and case != "pixman":
        check_probe(probe, case, outdir, env)
    c = Case(udmaview, outdir, env, importing=case in ("mesa25", "vm-mesa25"),
             dmabuf=(case == "vm-mesa25"))
    if case == "pixman":
        c.render = "pixman"
    if case == "vm-mesa25":
        check(os.path.exists(LIBLSAN), f"LeakSanitizer at {LIBLSAN} (liblsan0)")
        # exitcode=0: the leak is judged against the baseline, not by its presence.
        c.gl_env = dict(env, LD_PRELOAD=LIBLSAN, LSAN_OPTIONS="exitcode=0",
                        MESA_SHADER_CACHE_DIR=os.path.join(outdir, "mesa-shader-cache"))
        c.measure_leak_baseline()
    table = []
    for fmt in formats:
        ref = c.reference(fmt)
        name = f"{case}-{fmt}"
        png, report = c.gl(name, fmt, ["--filter", "nearest"])
        path = c.check_report(name, fmt, report)
        diff = images.compare(png, ref, 0, (png, ref))
        check(diff.differing == 0, f"{name}: the drawn picture equals the CPU dump of frame 75 "
              f"({diff.differing} pixels differ, max {diff.worst})")
        table.append(f"{fmt}: {path}")
        if fmt not in scaled_formats:
            continue
        for filt, w, h, tol in SCALED:
            sname = f"{name}-{filt}-{w}x{h}"
            png, report = c.gl(sname, fmt, ["--filter", filt, "--render-size", f"{w}x{h}"])
            c.check_report(sname, fmt, report)
            sref = c.scaled_reference(ref, filt, w, h)
            diff = images.compare(png, sref, tol, (png, sref))
            check(diff.differing == 0, f"{sname}: equals the CPU dump scaled {filt} within "
                  f"{tol} ({diff.differing} pixels beyond, max {diff.worst})")
    log("measured per format: " + "; ".join(table))


def main():
    if len(sys.argv) not in (5, 6, 7) or \
            (len(sys.argv) == 7 and sys.argv[3] != "vm-mesa25") or \
            sys.argv[3] not in ("mesa25", "mesa22", "pixman", "vm-mesa25") or \
            (sys.argv[3] == "mesa25" and len(sys.argv) != 6):
        print(__doc__, file=sys.stderr)
        return 2
    udmaview, probe, case, outdir = os.path.abspath(sys.argv[1]), sys.argv[2], sys.argv[3], \
        sys.argv[4]
    cache = sys.argv[5] if len(sys.argv) >= 6 else None
    formats, scaled = FORMATS, ("XRGB8888", "RGB565")
    if case == "vm-mesa25":
        def listed(arg, default):
            return default if arg is None else () if arg == "-" else tuple(arg.split(","))
        formats = listed(cache, FORMATS)
        scaled = listed(sys.argv[6] if len(sys.argv) == 7 else None, ("XRGB8888",))
        cache = None
        if not set(formats) <= set(FORMATS) or not set(scaled) <= set(formats):
            print(f"unknown format in {' '.join(sys.argv[5:])}; known: {', '.join(FORMATS)}"
                  " (the scaled ones must be among the formats run)", file=sys.stderr)
            return 2
        if outdir == "-":
            # The VM test bed's writable out dir (the host root is read-only there).
            outdir = os.environ.get("UDMAVIEW_VM_OUT", outdir)
    os.makedirs(outdir, exist_ok=True)
    tap.set_name("headless-gl " + case)
    procs.install_signal_handlers()
    return tap.main(run_case, case, udmaview, probe, outdir, cache, formats, scaled)


if __name__ == "__main__":
    sys.exit(main())
