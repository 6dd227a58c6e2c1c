# SPDX-License-Identifier: MIT
"""What both plots share: an Agg figure of an exact pixel size, CDF curves, saving by extension."""
import matplotlib

matplotlib.use("Agg")  # no display: the command runs on servers and in CI
from matplotlib.figure import Figure  # noqa: E402 (after the backend is chosen)

from .stats import PERCENTILES  # noqa: E402

# The layout is made for this size; other sizes scale it (text, lines, margins) by their DPI,
# so a small picture is the same picture, smaller, instead of a collapsed layout.
DESIGN_SIZE = (1600, 1000)
# Log axes cannot show 0: stages faster than this are drawn at it (labelled on the axis).
FLOOR_MS = 1e-3
PERCENTILE_MARKERS = {50: "o", 95: "s", 99: "^"}


def new_figure(size):
    width, height = size
    dpi = 100 * min(width / DESIGN_SIZE[0], height / DESIGN_SIZE[1])
    # Agg truncates inches × dpi to whole pixels: a hair more keeps 479 from becoming 478.
    return Figure(figsize=((width + 1e-3) / dpi, (height + 1e-3) / dpi), dpi=dpi,
                  layout="constrained")


def floored(values):
    """Values for a log axis: None stays a gap, tiny ones sit on the floor."""
    return [float("nan") if v is None else max(v, FLOOR_MS) for v in values]


def cdf(ax, stage, label, color, linewidth=1.5):
    """Draws the CDF of a StageStats with its percentiles marked; returns False without samples."""
    if not stage.samples:
        return False
    xs = [max(v, FLOOR_MS) for v in stage.sorted]
    ys = [(i + 1) / stage.samples for i in range(stage.samples)]
    marks = " / ".join(f"p{p} {stage.p[p]:.3f}" for p in PERCENTILES)
    ax.step(xs, ys, where="post", color=color, linewidth=linewidth,
            label=f"{label}: {marks} ms")
    for p in PERCENTILES:
        ax.plot([max(stage.p[p], FLOOR_MS)], [p / 100], marker=PERCENTILE_MARKERS[p],
                color=color, markersize=6, linestyle="none")
    return True


def cdf_axes(ax, title):
    ax.set_xscale("log")
    ax.set_ylim(0, 1.02)
    ax.set_xlabel(f"milliseconds (log; < {FLOOR_MS:g} ms drawn at {FLOOR_MS:g})")
    ax.set_ylabel("fraction of frames")
    ax.set_title(title, fontsize="medium")
    for p in PERCENTILES:
        ax.axhline(p / 100, color="0.7", linewidth=0.8, linestyle=":")
    ax.grid(True, which="major", alpha=0.3)


def timeline_axes(ax, xlabel, title, ncol):
    """A per-frame timeline's log scale, labels, grid and legend (after its lines)."""
    ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(f"ms (log; < {FLOOR_MS:g} drawn at {FLOOR_MS:g})")
    ax.set_title(title, fontsize="medium")
    ax.grid(True, which="major", alpha=0.3)
    legend_below(ax, ncol=ncol)


def cdf_legends(ax, ncol):
    """The curves' legend under the axes, the percentile markers' inside (bottom right is
    empty in a CDF)."""
    if not ax.get_legend_handles_labels()[0]:
        ax.text(0.5, 0.5, "no frame was presented", transform=ax.transAxes, ha="center")
        return
    marks = [ax.plot([], [], marker=PERCENTILE_MARKERS[p], color="0.3", linestyle="none")[0]
             for p in PERCENTILES]
    ax.add_artist(ax.legend(marks, [f"p{p}" for p in PERCENTILES], fontsize="x-small",
                            loc="lower right"))
    # Last, so it is the axes' legend, which the constrained layout makes room for.
    legend_below(ax, ncol=ncol)


def period_line(ax, period, source):
    if period:
        ax.axhline(period, color="black", linestyle="--", linewidth=1,
                   label=f"display period {period:.2f} ms ({source})")
    else:
        ax.plot([], [], " ", label=f"no display period line: {source}")


def legend_below(ax, ncol):
    """The axes' legend under its x label: the pad is in font sizes, so it clears the label at
    any axes height."""
    ax.legend(fontsize="x-small", ncol=ncol, loc="upper center", bbox_to_anchor=(0.5, 0),
              borderaxespad=6.5)


def save(fig, path):
    """Writes PNG or SVG by path's extension; raises OSError when it cannot."""
    fmt = "svg" if path.lower().endswith(".svg") else "png"
    # No date in the file, so the same report makes the same picture.
    metadata = {"Date": None} if fmt == "svg" else {}
    fig.savefig(path, format=fmt, dpi=fig.dpi, metadata=metadata)
