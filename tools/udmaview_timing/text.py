# SPDX-License-Identifier: MIT
"""The text the summary and compare commands print."""
import copy

from .stats import PERCENTILES, STAGES, TOTAL, RunStats


def ms(value):
    return "       -" if value is None else f"{value:8.3f}"


def describe(report, stats, arrow="->"):
    """One line naming the run: source, output, path, size, fps."""
    if report.source or report.output:
        parts = [f"{report.source or '?'} {arrow} {report.output or '?'}"]
    else:  # a CSV report has frames only
        parts = [f"{report.label} (source and output not recorded)"]
    if report.paths:
        parts.append("path " + "+".join(report.paths))
    if report.width:
        parts.append(f"{report.width}x{report.height}")
    rate = f"{stats.fps:.1f} fps"
    if report.source_fps:
        rate += f" (source {report.source_fps:g} fps)"
    parts.append(rate)
    return ", ".join(parts)


def summary(report, stats):
    lines = [f"{report.path}: {describe(report, stats)}",
             f"  {stats.frames} frames, {stats.presented} presented, {stats.dropped} dropped, "
             f"{stats.fps:.1f} fps over {stats.duration_s:.2f} s"]
    for key, label, _, _ in STAGES:
        label = label.replace("→", "->")  # as udmaview's own summary
        st = stats.stages[key]
        cells = "  ".join(f"p{p} {ms(st.p[p])} ms" for p in PERCENTILES)
        lines.append(f"  {label:<24}{cells}  max {ms(st.max)} ms  ({st.samples} samples)")
    lines.append(f"  copied {stats.bytes_per_frame:.0f} bytes/frame ({stats.bytes_total} total), "
                 f"imports {stats.imports_per_frame:.3f}/frame ({stats.imports_total} total)")
    lines += per_source(report)
    return "\n".join(lines) + "\n"


def source_of(frame):
    return int(frame.get("source") or 0)


def per_source(report):
    """One line per source when the run had several (frame records carry "source")."""
    sources = sorted({source_of(f) for f in report.frames})
    if len(sources) < 2:
        return []
    lines = []
    for src in sources:
        part = copy.copy(report)
        part.frames = [f for f in report.frames if source_of(f) == src]
        st = RunStats(part)
        total = st.stages[TOTAL]
        lines.append(f"  source {src}: {st.frames} frames, {st.presented} presented, "
                     f"{st.dropped} dropped, {st.fps:.1f} fps, produced -> presented "
                     f"p50 {ms(total.p[50])} ms  p99 {ms(total.p[99])} ms")
    return lines


def ratio(value, base):
    if value is None or base is None:
        return "-"
    if base == 0:
        return "1.00x" if value == 0 else "inf"
    return f"{value / base:.2f}x"


def compare_table(runs):
    """runs: [(label, report, stats)]; the first run is the base of the ratios."""
    width = max(8, *(len(label) for label, _, _ in runs))
    head = (f"{'run':<{width}}  {'frames':>6}  {'fps':>7}  {'p50 ms':>8}  {'p95 ms':>8}  "
            f"{'p99 ms':>8}  {'bytes/frame':>12}  {'imports/frame':>13}")
    lines = ["produced -> presented per run; ratios are against " + runs[0][0], head]
    for label, _, st in runs:
        total = st.stages[TOTAL]
        lines.append(f"{label:<{width}}  {st.frames:>6}  {st.fps:>7.1f}  {ms(total.p[50])}  "
                     f"{ms(total.p[95])}  {ms(total.p[99])}  {st.bytes_per_frame:>12.0f}  "
                     f"{st.imports_per_frame:>13.3f}")
    lines.append("")
    lines.append(f"{'ratio':<{width}}  {'':>6}  {'fps':>7}  {'p50':>8}  {'p95':>8}  {'p99':>8}  "
                 f"{'bytes/frame':>12}  {'imports/frame':>13}")
    base = runs[0][2]
    b = base.stages[TOTAL]
    for label, _, st in runs:
        t = st.stages[TOTAL]
        lines.append(f"{label:<{width}}  {'':>6}  {ratio(st.fps, base.fps):>7}  "
                     f"{ratio(t.p[50], b.p[50]):>8}  {ratio(t.p[95], b.p[95]):>8}  "
                     f"{ratio(t.p[99], b.p[99]):>8}  "
                     f"{ratio(st.bytes_per_frame, base.bytes_per_frame):>12}  "
                     f"{ratio(st.imports_per_frame, base.imports_per_frame):>13}")
    return "\n".join(lines) + "\n"
