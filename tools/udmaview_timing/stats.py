# SPDX-License-Identifier: MIT
"""The numbers of a run, computed from its frames the way udmaview's own summary does."""
import math

# (key, label, from field, to field); the last one is the whole trip.
STAGES = (
    ("produced_to_imported", "produced → imported", "produced_ns", "imported_ns"),
    ("imported_to_submitted", "imported → submitted", "imported_ns", "submitted_ns"),
    ("submitted_to_presented", "submitted → presented", "submitted_ns", "presented_ns"),
    ("produced_to_presented", "produced → presented", "produced_ns", "presented_ns"),
)
TOTAL = "produced_to_presented"
PERCENTILES = (50, 95, 99)


def stage_ms(frame, start, end):
    """Milliseconds from start to end, or None when a stage did not happen (0 ns)."""
    a, b = frame[start], frame[end]
    if not a or not b or b < a:
        return None
    return (b - a) / 1e6


def stage_samples(frames, key):
    _, _, start, end = next(s for s in STAGES if s[0] == key)
    return [v for v in (stage_ms(f, start, end) for f in frames) if v is not None]


def percentile(sorted_samples, p):
    """Nearest rank, as udmaview's stage_stats; None without samples."""
    if not sorted_samples:
        return None
    k = math.ceil(p / 100.0 * len(sorted_samples))
    return sorted_samples[min(max(k, 1), len(sorted_samples)) - 1]


class StageStats:
    def __init__(self, samples):
        self.sorted = sorted(samples)
        self.samples = len(self.sorted)
        self.p = {p: percentile(self.sorted, p) for p in PERCENTILES}
        self.max = self.sorted[-1] if self.sorted else None


class RunStats:
    """frames, presented, dropped, fps, duration, per-stage percentiles, copies and imports."""

    def __init__(self, report):
        frames = report.frames
        self.frames = len(frames)
        self.dropped = sum(1 for f in frames if f["dropped"])
        shown = [f["presented_ns"] for f in frames if f["presented_ns"]]
        self.presented = len(shown)
        produced = [f["produced_ns"] for f in frames if f["produced_ns"]]
        self.duration_s = 0.0
        if produced and shown and max(shown) > min(produced):
            self.duration_s = (max(shown) - min(produced)) / 1e9
        self.fps = 0.0
        if len(shown) > 1 and max(shown) > min(shown):
            self.fps = (len(shown) - 1) / ((max(shown) - min(shown)) / 1e9)
        self.stages = {key: StageStats(stage_samples(frames, key)) for key, *_ in STAGES}
        self.bytes_total = sum(f["bytes_copied"] for f in frames)
        self.imports_total = sum(f["imports"] for f in frames)
        submitted = self.frames - self.dropped
        self.bytes_per_frame = self.bytes_total / submitted if submitted else 0.0
        self.imports_per_frame = self.imports_total / submitted if submitted else 0.0


def display_period(report, stats, period_ms=None):
    """(period in ms, where it came from) or (None, why there is none)."""
    if period_ms:
        return period_ms, f"--period-ms {period_ms:g}"
    if report.source_fps > 0:
        return 1000.0 / report.source_fps, f"source --fps {report.source_fps:g}"
    if stats.fps > 0:
        return 1000.0 / stats.fps, f"measured {stats.fps:.1f} fps"
    return None, "no frame rate in the report"
