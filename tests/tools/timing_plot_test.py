#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""udmaview-timing as a user runs it: on real demo reports (JSON and CSV) it writes PNG and SVG
pictures of the asked size that are not blank, prints summaries and comparison tables, and on
bad input says in one line which file is wrong and exits 1 (2 for bad usage)."""
import json
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

UDMAVIEW, TOOL = sys.argv[1], sys.argv[2]
failures = []


def check(name, condition, detail=""):
    print(("ok - " if condition else "not ok - ") + name)
    if not condition:
        failures.append(name)
        if detail:
            print("    " + str(detail).replace("\n", "\n    "))


def tool(*args, env=None):
    p = subprocess.run([TOOL, *args], capture_output=True, text=True, timeout=120, env=env)
    return p.returncode, p.stdout, p.stderr


def udmaview(*args):
    p = subprocess.run([UDMAVIEW, *args], capture_output=True, text=True, timeout=120)
    check("udmaview " + " ".join(args[-2:]) + " exits 0", p.returncode == 0, p.stderr)


def image(path, box):
    """(width, height, variance of the grey levels, fraction of data pixels) in box (fractions
    of width and height: left, top, right, bottom), the middle of a per-frame plot. Data
    pixels are coloured, not grey like axes and grid, and not the red of the dropped-frame
    marks, so a plot without lines has almost none. Pillow is there: python3-matplotlib
    depends on it (and reads PNG with it)."""
    from PIL import Image, ImageStat
    with Image.open(path) as im:
        im.load()
        w, h = im.size
        crop = im.convert("RGB").crop((int(w * box[0]), int(h * box[1]), int(w * box[2]),
                                       int(h * box[3])))
    pixels = list(crop.getdata())
    data = sum(1 for r, g, b in pixels
               if max(r, g, b) - min(r, g, b) > 40 and not (r > g + 60 and r > b + 60 and g < 140))
    return w, h, ImageStat.Stat(crop.convert("L")).var[0], data / len(pixels)


def picture_ok(name, path, size, box):
    try:
        w, h, variance, data = image(path, box)
    except Exception as e:  # noqa: BLE001 (any decode failure fails the check)
        check(name + ": PNG decodes", False, repr(e))
        return
    print(f"# {name}: grey variance {variance:.1f}, {data:.2%} coloured pixels")
    check(name + f": PNG is {size[0]}x{size[1]}", (w, h) == size, f"{w}x{h}")
    # Catches a white picture; the coloured-pixel check below catches axes without lines.
    check(name + ": plot area is not blank", variance > 30, f"variance {variance:.1f}")
    # About 1% with lines (less when frames bunch up under load), 0 without.
    check(name + ": plot area has data lines", data > 0.002, f"{data:.2%} coloured pixels")


def bad_input(name, args, rc_wanted, must_say, env=None):
    rc, _, err = tool(*args, env=env)
    lines = err.strip().splitlines()
    check(f"{name}: exit {rc_wanted}", rc == rc_wanted, f"exit {rc}: {err}")
    if rc_wanted == 1:
        check(f"{name}: one line on stderr", len(lines) == 1, err)
    check(f"{name}: says {must_say!r}", must_say in err, err)


with tempfile.TemporaryDirectory() as tmp:
    a_json, b_csv = os.path.join(tmp, "a.json"), os.path.join(tmp, "b.csv")
    udmaview("--frames", "90", "--size", "320x240", "--timing", a_json)
    udmaview("--frames", "90", "--size", "320x240", "--fps", "120", "--timing", b_csv)
    report = json.load(open(a_json))
    s = report["summary"]
    check("report says the size and source fps",
          (s.get("width"), s.get("height"), s.get("source_fps")) == (320, 240, 60), s)

    rc, out, err = tool("summary", a_json)
    check("summary exits 0", rc == 0, err)
    m = re.search(r"produced -> presented\s+p50\s+([\d.]+) ms", out)
    check("summary p50 is udmaview's", m and abs(float(m.group(1)) -
                                                  s["produced_to_presented"]["p50_ms"]) < 2e-3,
          out)
    check("summary names size and source fps", "320x240" in out and "source 60 fps" in out, out)

    # Two sources: one line each, with the frame count udmaview reported for that source.
    two = os.path.join(tmp, "two.csv")
    udmaview("--frames", "20", "--size", "64x48", "--fps", "200", "--source", "demo",
             "--source", "demo", "--seed", "2", "--timing", two)
    rc, out, err = tool("summary", two)
    check("summary of two sources: a line per source with its 20 frames",
          rc == 0 and re.search(r"^  source 0: 20 frames", out, re.M) and
          re.search(r"^  source 1: 20 frames", out, re.M), out + err)

    png = os.path.join(tmp, "a.png")
    rc, _, err = tool("plot", a_json, "-o", png, "--size", "900x700", "--title", "a run")
    check("plot PNG exits 0", rc == 0, err)
    # The whole top panel: lines that sit on one another (imported on presented) or on the
    # 0.001 ms floor still show there.
    picture_ok("plot", png, (900, 700), (0.08, 0.05, 0.97, 0.46))

    svg = os.path.join(tmp, "b.svg")
    rc, _, err = tool("plot", b_csv, "-o", svg, "--period-ms", "8")
    check("plot SVG from CSV exits 0", rc == 0, err)
    try:
        root = ET.parse(svg).getroot()
        check("SVG parses as svg with drawings",
              root.tag.endswith("svg") and len(list(root.iter())) > 200, root.tag)
        # Matplotlib draws text as glyphs and keeps it in a comment beside them.
        check("SVG legend has the --period-ms line", "display period 8.00 ms" in open(svg).read())
    except (ET.ParseError, OSError) as e:
        check("SVG parses", False, repr(e))

    cmp_png = os.path.join(tmp, "cmp.png")
    rc, out, err = tool("compare", a_json, b_csv, "-o", cmp_png, "--label", "sixty", "fast")
    check("compare exits 0", rc == 0, err)
    check("compare table has both runs and ratios",
          "sixty" in out and "fast" in out and "1.00x" in out and "p99" in out, out)
    # The whole timeline panel: on an idle machine the lines sit low in it.
    picture_ok("compare", cmp_png, (1600, 1000), (0.5, 0.07, 0.97, 0.88))
    rc, out, err = tool("compare", a_json, a_json)
    check("compare without -o prints only the table", rc == 0 and "a " in out, err)

    rc, out, _ = tool("--help")
    check("--help names every command", rc == 0 and all(
        c in out for c in ("plot", "compare", "summary", "Exit status")), out)
    for command, options in (("plot", ("--size", "--title", "--period-ms", "-o")),
                             ("compare", ("--label", "--size", "-o")), ("summary", ())):
        rc, out, _ = tool(command, "--help")
        check(f"{command} --help names its options",
              rc == 0 and all(o in out for o in options), out)

    # Bad input: exit 1 and one line naming the file.
    def write(name, text):
        path = os.path.join(tmp, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    text = open(a_json).read()
    missing = os.path.join(tmp, "missing.json")
    bad_input("missing file", ("summary", missing), 1, missing)
    cut = write("cut.json", text[:len(text) // 2])
    bad_input("truncated JSON", ("plot", cut, "-o", png), 1, cut)
    other = write("other.json", '{"hello": [1, 2]}')
    bad_input("other JSON", ("summary", other), 1, "not a udmaview timing report")
    other_csv = write("other.csv", "a,b\n1,2\n")
    bad_input("other CSV", ("plot", other_csv, "-o", png), 1, "not a udmaview timing report")
    empty = write("empty.json", json.dumps(dict(report, frames=[])))
    bad_input("no frames (JSON)", ("summary", empty), 1, "has no frames")
    header = write("header.csv", open(b_csv).read().splitlines()[0] + "\n")
    bad_input("no frames (CSV)", ("summary", header), 1, "has no frames")
    fewer = write("fewer.json", json.dumps(dict(report, frames=[
        {k: v for k, v in f.items() if k != "damage_rects"} for f in report["frames"]])))
    bad_input("compare, different fields", ("compare", a_json, fewer), 1, "damage_rects")
    bad_input("unwritable picture", ("plot", a_json, "-o", os.path.join(tmp, "no", "x.png")),
              1, "cannot write")

    # A Python without matplotlib: a stand-in package that fails to import, first on the path.
    fake = os.path.join(tmp, "fake", "matplotlib")
    os.makedirs(fake)
    with open(os.path.join(fake, "__init__.py"), "w") as f:
        f.write("raise ModuleNotFoundError(\"no matplotlib\", name=\"matplotlib\")\n")
    no_picture = os.path.join(tmp, "none.png")
    bad_input("no matplotlib", ("plot", a_json, "-o", no_picture), 1, "python3-matplotlib",
              env=dict(os.environ, PYTHONPATH=os.path.dirname(fake)))
    check("no matplotlib: no empty picture left", not os.path.exists(no_picture))

    # Bad usage: exit 2.
    bad_input("no command", (), 2, "usage")
    bad_input("bad --size", ("plot", a_json, "-o", png, "--size", "10x10"), 2, "--size")
    bad_input("bad extension", ("plot", a_json, "-o", "x.jpg"), 2, ".png or .svg")
    bad_input("labels do not match", ("compare", a_json, b_csv, "--label", "x"), 2, "--label")

print(f"{len(failures)} failed" if failures else "all passed")
sys.exit(1 if failures else 0)
