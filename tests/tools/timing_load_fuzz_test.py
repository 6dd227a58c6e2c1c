#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""udmaview-timing's report loader against mutated reports: a bounded random mutation test.

Coverage-guided fuzzing of Python would need atheris, which Debian 12 does not package; so this
is a seeded (reproducible) mutation test instead: 4000 mutants of a valid JSON report and of a
valid CSV report (byte flips, truncations, inserted bytes, and JSON values swapped for wrong
types, negatives, huge or non-finite numbers, deep nesting), each loaded in-process. Every
mutant must load or raise ReportError (the one-line message the tool prints); any other
exception fails the test, and the mutant is saved as OUTDIR/timing-mutant-N so that it can
become a regression case. About 3 s.
usage: timing_load_fuzz_test.py OUTDIR
"""
import copy
import json
import os
import random
import sys
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
from udmaview_timing import report  # noqa: E402

MUTANTS = 4000
SEED = 28

FRAME = {"seq": 1, "source": 0, "buffer_id": 1, "produced_ns": 1000, "imported_ns": 2000,
         "submitted_ns": 3000, "presented_ns": 4000, "bytes_copied": 0, "imports": 1,
         "damage_rects": 1, "damage_pixels": 64, "dropped": False, "path": "mmap memfd"}
VALID = {"source": "demo 64x48 XRGB8888", "output": "headless", "clock": "CLOCK_MONOTONIC ns",
         "summary": {"frames": 3, "width": 64, "height": 48, "source_fps": 60},
         "frames": [dict(FRAME, seq=i + 1, produced_ns=1000 * (i + 1)) for i in range(3)]}
CSV = ("seq,source,buffer_id,produced_ns,imported_ns,submitted_ns,presented_ns,bytes_copied,"
       "imports,damage_rects,damage_pixels,dropped,path\n"
       "1,0,1,1000,2000,3000,4000,0,1,1,64,0,mmap memfd\n"
       "2,0,1,2000,3000,4000,5000,0,0,1,64,1,mmap memfd\n")
ODD_VALUES = [None, -1, 0, 2 ** 70, 1e308, float("inf"), float("nan"), "x", "", [], {}, True,
              [[[[[]]]]], {"a": {"b": {}}}, "9" * 400, -2 ** 63]


def mutate_bytes(rng, data: bytes) -> bytes:
    b = bytearray(data)
    for _ in range(rng.randint(1, 6)):
        kind = rng.randrange(4)
        if kind == 0 and b:
            b[rng.randrange(len(b))] = rng.randrange(256)
        elif kind == 1 and b:
            del b[rng.randrange(len(b)):]
        elif kind == 2:
            at = rng.randrange(len(b) + 1)
            b[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
        elif b:
            at = rng.randrange(len(b))
            b[at:at] = b[rng.randrange(len(b)):][:rng.randint(1, 32)]
    return bytes(b)


def mutate_json(rng) -> bytes:
    doc = copy.deepcopy(VALID)
    for _ in range(rng.randint(1, 4)):
        target = rng.choice(["top", "summary", "frame", "frames"])
        value = copy.deepcopy(rng.choice(ODD_VALUES))
        if target == "top":
            doc[rng.choice(list(VALID))] = value
        elif target == "summary" and isinstance(doc.get("summary"), dict):
            doc["summary"][rng.choice(["frames", "width", "height", "source_fps"])] = value
        elif target == "frame" and isinstance(doc.get("frames"), list) and doc["frames"]:
            frame = rng.choice(doc["frames"])
            if isinstance(frame, dict):
                key = rng.choice(list(FRAME))
                if rng.random() < 0.2:
                    frame.pop(key, None)
                else:
                    frame[key] = value
        elif isinstance(doc.get("frames"), list):
            doc["frames"].append(value)
    return json.dumps(doc, allow_nan=True).encode()


def regressions(out) -> int:
    """What the mutants found once: Infinity as the run's width (int() of it raised
    OverflowError; the frames must still load) and as a frame's time (refused in one line)."""
    failures = 0
    width = json.dumps(VALID).replace('"width": 64', '"width": Infinity')
    frame = json.dumps(VALID).replace('"produced_ns": 1000,', '"produced_ns": Infinity,', 1)
    for name, text, loads in (("width-infinity", width, True), ("frame-infinity", frame, False)):
        path = out / f"timing-regression-{name}.json"
        path.write_text(text)
        try:
            report.load(str(path))
            outcome = "loaded"
        except report.ReportError:
            outcome = "refused"
        except Exception as exc:  # noqa: BLE001
            outcome = f"raised {exc!r}"
        good = outcome == ("loaded" if loads else "refused")
        failures += not good
        print(f"{'ok' if good else 'not ok'} - regression {name}: {outcome}")
        path.unlink()
    return failures


def main():
    out = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    out.mkdir(parents=True, exist_ok=True)
    failures = regressions(out)
    rng = random.Random(SEED)
    seeds = [json.dumps(VALID).encode(), CSV.encode()]
    counts = {"loaded": 0, "refused": 0}
    for n in range(MUTANTS):
        kind = n % 3
        data = mutate_json(rng) if kind == 0 else mutate_bytes(rng, seeds[kind - 1])
        path = out / f"timing-mutant-{n}{'.csv' if kind == 2 else '.json'}"
        path.write_bytes(data)
        try:
            report.load(str(path))
            counts["loaded"] += 1
        except report.ReportError:
            counts["refused"] += 1
        except Exception:  # noqa: BLE001 - exactly what the test looks for
            failures += 1
            print(f"not ok - mutant {n} ({path}) raised:\n"
                  + "".join("# " + line for line in traceback.format_exc().splitlines(True)))
            continue
        path.unlink()
    print(f"# {MUTANTS} mutants: {counts['loaded']} loaded, {counts['refused']} refused with a "
          f"ReportError, {failures} other exceptions")
    print(("ok" if failures == 0 else "not ok") + " - every mutant loads or is refused in one line")
    print("1..3")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
