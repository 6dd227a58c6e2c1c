# SPDX-License-Identifier: MIT
"""The plot of one run: timeline per stage, CDF per stage, bytes copied and imports per frame."""
from .figure import (cdf, cdf_axes, cdf_legends, floored, new_figure, timeline_axes,
                     period_line, save)
from .stats import STAGES, TOTAL, display_period, stage_ms
from .text import describe

STAGE_COLORS = {
    "produced_to_imported": "tab:blue",
    "imported_to_submitted": "tab:orange",
    "submitted_to_presented": "tab:green",
    "produced_to_presented": "black",
}


def plot_run(report, stats, out, size, title=None, period_ms=None):
    fig = new_figure(size)
    fig.suptitle(title or "udmaview timing: " + describe(report, stats, arrow="→"),
                 fontsize="large")
    grid = fig.add_gridspec(2, 2, height_ratios=(1.1, 1))
    timeline(fig.add_subplot(grid[0, :]), report, stats, period_ms)
    ax = fig.add_subplot(grid[1, 0])
    cdf_axes(ax, "distribution per stage")
    for key, label, _, _ in STAGES:
        cdf(ax, stats.stages[key], label, STAGE_COLORS[key], 2.0 if key == TOTAL else 1.2)
    cdf_legends(ax, ncol=2)
    copies(fig.add_subplot(grid[1, 1]), report, stats)
    save(fig, out)


def timeline(ax, report, stats, period_ms):
    for key, label, start, end in STAGES:
        # Frames without this stage (dropped ones) are skipped, not gaps: the line stays
        # readable and the red marks say where frames were dropped.
        points = [(f["seq"], stage_ms(f, start, end)) for f in report.frames]
        points = [(seq, v) for seq, v in points if v is not None]
        ax.plot([seq for seq, _ in points], floored([v for _, v in points]),
                color=STAGE_COLORS[key], linewidth=1.6 if key == TOTAL else 0.9, label=label,
                marker="." if len(points) < 30 else None)  # a line of few points needs dots
    period, source = display_period(report, stats, period_ms)
    period_line(ax, period, source)
    dropped = [f["seq"] for f in report.frames if f["dropped"]]
    if dropped:
        # At the bottom edge: a dropped frame has no times to draw.
        ax.plot(dropped, [0.03] * len(dropped), "x", color="red", markersize=6,
                transform=ax.get_xaxis_transform(), label=f"dropped ({len(dropped)})")
    else:
        ax.plot([], [], " ", label="no frame dropped")
    timeline_axes(ax, "frame (seq)", "per-frame time of each stage", 6)


def copies(ax, report, stats):
    seqs = [f["seq"] for f in report.frames]
    ax.bar(seqs, [f["bytes_copied"] for f in report.frames], width=1.0, color="tab:purple",
           alpha=0.6, label=f"bytes copied ({stats.bytes_per_frame:.0f}/frame)")
    ax.set_xlabel("frame (seq)")
    ax.set_ylabel("bytes copied", color="tab:purple")
    ax.ticklabel_format(axis="y", style="sci", scilimits=(-3, 4))
    if stats.bytes_total:
        ax.set_ylim(bottom=0)
    else:
        ax.set_ylim(0, 1)
        ax.text(0.5, 0.5, "no byte copied", transform=ax.transAxes, ha="center",
                color="tab:purple")
    right = ax.twinx()
    # Only frames that imported: the rest (nearly all, when imports are cached) would bury
    # the axis under dots at 0.
    imported = [(f["seq"], f["imports"]) for f in report.frames if f["imports"]]
    right.vlines([seq for seq, _ in imported], 0, [n for _, n in imported], color="tab:red",
                 linewidth=1)
    right.plot([seq for seq, _ in imported], [n for _, n in imported], "o", color="tab:red",
               markersize=3, label=f"imports ({stats.imports_per_frame:.3f}/frame)")
    right.set_ylabel("imports (zeros not drawn)", color="tab:red")
    right.set_ylim(bottom=0, top=max([1] + [n for _, n in imported]) * 1.15)
    right.yaxis.get_major_locator().set_params(integer=True)
    ax.set_title(f"copies and imports per frame ({stats.bytes_total} bytes, "
                 f"{stats.imports_total} imports in all)", fontsize="medium")
    lines = ax.get_legend_handles_labels()
    more = right.get_legend_handles_labels()
    ax.legend(lines[0] + more[0], lines[1] + more[1], fontsize="x-small", loc="upper right")
