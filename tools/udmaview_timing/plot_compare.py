# SPDX-License-Identifier: MIT
"""The plot of several runs over each other: produced → presented as CDF and as timeline."""
from .figure import (cdf, cdf_axes, cdf_legends, floored, new_figure, timeline_axes,
                     period_line, save)
from .stats import TOTAL, display_period, stage_ms


def plot_compare(runs, out, size, title=None, period_ms=None):
    """runs: [(label, report, stats)]."""
    fig = new_figure(size)
    fig.suptitle(title or "udmaview timing: produced → presented in " +
                 ", ".join(label for label, _, _ in runs), fontsize="large")
    colors = [f"C{i % 10}" for i in range(len(runs))]
    left, right = fig.subplots(1, 2, width_ratios=(1, 1.3))
    cdf_axes(left, "distribution of produced → presented")
    for (label, _, stats), color in zip(runs, colors):
        if not cdf(left, stats.stages[TOTAL], label, color):
            left.plot([], [], " ", label=f"{label}: no frame presented")
    cdf_legends(left, ncol=1)

    for (label, report, _), color in zip(runs, colors):
        first = report.frames[0]["seq"]
        points = [(f["seq"] - first, stage_ms(f, "produced_ns", "presented_ns"))
                  for f in report.frames]
        points = [(seq, v) for seq, v in points if v is not None]
        right.plot([seq for seq, _ in points], floored([v for _, v in points]), color=color,
                   linewidth=1, label=label)
    # One line per distinct period: runs at the same rate share it.
    periods = {}
    for label, report, stats in runs:
        period, source = display_period(report, stats, period_ms)
        if period:
            periods.setdefault(round(period, 3), (period, source, []))[2].append(label)
    for period, source, labels in periods.values():
        period_line(right, period, f"{source}: {', '.join(labels)}")
    timeline_axes(right, "frame (seq from the run's first)", "per-frame produced → presented", 2)
    save(fig, out)
