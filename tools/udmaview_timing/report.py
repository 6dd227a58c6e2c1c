# SPDX-License-Identifier: MIT
"""Reads a udmaview timing report (JSON or CSV) into a Report, or says what is wrong with it."""
import csv
import io
import json
import os
import re

# Every frame record must have these to be plotted; they are what udmaview's --timing writes.
REQUIRED_FIELDS = ("seq", "produced_ns", "imported_ns", "submitted_ns", "presented_ns",
                   "bytes_copied", "imports", "dropped")
INTEGER_FIELDS = ("seq", "buffer_id", "produced_ns", "imported_ns", "submitted_ns",
                  "presented_ns", "bytes_copied", "imports", "damage_rects", "damage_pixels")
MAKE_ONE = "make one with: udmaview --timing run.json (or run.csv)"


class ReportError(Exception):
    """One line for the user: which file, what is wrong, what to do."""

    def __init__(self, path, what, todo):
        super().__init__(f"{path}: {what}; {todo}")


class Report:
    """One run: its frames (dicts with integer times) and what the report says about the run."""

    def __init__(self, path, frames, fields, meta):
        self.path = path
        self.frames = frames
        self.fields = fields  # the frame record's field names, as written
        self.source = str(meta.get("source") or "")
        self.output = str(meta.get("output") or "")
        self.width = int(_number(meta.get("width")))
        self.height = int(_number(meta.get("height")))
        self.source_fps = _number(meta.get("source_fps"))
        if not self.width:
            # Older reports and the region source only say the size in the source's name.
            m = re.search(r"\b(\d+)x(\d+)\b", self.source)
            if m:
                self.width, self.height = int(m.group(1)), int(m.group(2))
        self.label = os.path.splitext(os.path.basename(path))[0]

    @property
    def paths(self):
        """The output paths used, most used first."""
        counts = {}
        for f in self.frames:
            if f.get("path"):
                counts[f["path"]] = counts.get(f["path"], 0) + 1
        return sorted(counts, key=lambda p: -counts[p])


def _number(value):
    """A summary number, or 0 when it is missing or not a number (the frames still plot)."""
    # Infinity (JSON's Infinity/1e999) is no size or rate either: int() of it would raise.
    ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    return float(value) if ok and 0 < value < 1e300 else 0.0


def load(path):
    """Reads path as a report; raises ReportError with the reason."""
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError as e:
        raise ReportError(path, f"cannot read it ({e.strerror})",
                          "check the path and its permissions") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ReportError(path, "is not text, so not a udmaview timing report", MAKE_ONE) from None
    if not text.strip():
        raise ReportError(path, "is empty", "the run that wrote it may have failed; " + MAKE_ONE)
    if text.lstrip().startswith(("{", "[")):
        return _from_json(path, text)
    return _from_csv(path, text)


def _from_json(path, text):
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        where = f"line {e.lineno} column {e.colno}"
        what = ("ends early, at " + where) if e.pos >= len(text.rstrip()) else (
            f"is not valid JSON ({e.msg} at {where})")
        raise ReportError(path, what,
                          "the run may have been killed while writing it; run it again") from None
    if not isinstance(data, dict) or not isinstance(data.get("frames"), list):
        raise ReportError(path, 'is JSON but not a udmaview timing report (no "frames" list)',
                          MAKE_ONE)
    frames = data["frames"]
    if not frames:
        raise ReportError(path, "has no frames", "run udmaview longer (--frames N)")
    for i, f in enumerate(frames):
        if not isinstance(f, dict):
            raise ReportError(path, f"frame {i} is not an object", MAKE_ONE)
    summary = data.get("summary")
    meta = dict(summary) if isinstance(summary, dict) else {}
    meta["source"] = data.get("source", "")
    meta["output"] = data.get("output", "")
    fields = list(frames[0].keys())
    return Report(path, [_frame(path, i, f) for i, f in enumerate(frames)], fields, meta)


def _from_csv(path, text):
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error as e:
        raise ReportError(path, f"is neither JSON nor CSV ({e})", MAKE_ONE) from None
    header = [h.strip() for h in rows[0]]
    missing = [f for f in REQUIRED_FIELDS if f not in header]
    if missing:
        raise ReportError(path, "is not a udmaview timing report (neither JSON nor a CSV with "
                          f"the columns {', '.join(missing)})", MAKE_ONE)
    body = [r for r in rows[1:] if r]
    if not body:
        raise ReportError(path, "has no frames (only the CSV header)",
                          "run udmaview longer (--frames N)")
    frames = []
    for i, row in enumerate(body):
        if len(row) != len(header):
            raise ReportError(path, f"row {i + 2} has {len(row)} columns, the header "
                              f"{len(header)}", "the file is cut or edited; run udmaview again")
        frames.append(_frame(path, i, dict(zip(header, row))))
    return Report(path, frames, header, {})


def _frame(path, index, record):
    missing = [f for f in REQUIRED_FIELDS if f not in record]
    if missing:
        raise ReportError(path, f"frame {index} lacks {', '.join(missing)}", MAKE_ONE)
    out = dict(record)
    for name in INTEGER_FIELDS:
        if name not in record:
            continue
        value = record[name]
        try:
            out[name] = int(value)
            if out[name] < 0 or isinstance(value, (bool, float)):
                raise ValueError
        except (TypeError, ValueError, OverflowError):  # OverflowError: int(Infinity)
            raise ReportError(path, f"frame {index}: {name} is {value!r}, not a count",
                              "the file is damaged; run udmaview again") from None
    dropped = record["dropped"]
    if dropped in (True, False):
        out["dropped"] = dropped
    elif str(dropped).strip() in ("0", "1"):
        out["dropped"] = str(dropped).strip() == "1"
    else:
        raise ReportError(path, f"frame {index}: dropped is {dropped!r}, not true/false or 0/1",
                          "the file is damaged; run udmaview again")
    out["path"] = str(record.get("path", "") or "")
    return out
