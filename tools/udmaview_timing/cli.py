# SPDX-License-Identifier: MIT
"""The udmaview-timing command line: parse, load the reports, run one command, exit status."""
import argparse
import os
import sys

from .report import ReportError, load
from .stats import RunStats

EPILOG = """\
Reports are what `udmaview --timing FILE` writes, JSON or CSV (told apart by content).
Times are drawn in milliseconds on log axes. The display period line comes from
--period-ms, else the source's --fps recorded in the report, else the measured fps;
the legend says which.

Examples:
  udmaview --source demo --output headless --frames 300 --timing run.json
  udmaview-timing plot run.json -o run.png
  udmaview-timing compare a.json b.csv --label before after -o cmp.svg
  udmaview-timing summary run.json

Exit status: 0 done, 1 a report cannot be used or the picture cannot be written
(one line on stderr says which file and why), 2 bad usage."""

MIN_PIXELS, MAX_PIXELS = 200, 8000


def pixel_size(text):
    try:
        width, height = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not WxH, e.g. 1600x1000") from None
    if not all(MIN_PIXELS <= v <= MAX_PIXELS for v in (width, height)):
        raise argparse.ArgumentTypeError(
            f"'{text}': width and height must be {MIN_PIXELS}..{MAX_PIXELS} pixels")
    return width, height


def picture_path(text):
    if not text.lower().endswith((".png", ".svg")):
        raise argparse.ArgumentTypeError(f"'{text}' must end in .png or .svg")
    return text


def period(text):
    try:
        value = float(text)
    except ValueError:
        value = 0
    if not 0 < value < 1e6:
        raise argparse.ArgumentTypeError(f"'{text}' is not a period in ms above 0, e.g. 16.67")
    return value


def picture_options(p, required):
    p.add_argument("-o", "--output", type=picture_path, required=required, metavar="FILE",
                   help="the picture to write: .png or .svg" +
                   ("" if required else " (without it only the table is printed)"))
    p.add_argument("--size", type=pixel_size, default=(1600, 1000), metavar="WxH",
                   help=f"picture size in pixels (default 1600x1000, each {MIN_PIXELS}.."
                   f"{MAX_PIXELS})")
    p.add_argument("--title", help="title instead of the one made from the report")
    p.add_argument("--period-ms", type=period, metavar="MS",
                   help="display period to draw (default: the source's --fps in the report, else "
                   "the measured fps)")


def build_parser():
    parser = argparse.ArgumentParser(
        prog="udmaview-timing", formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Plots, compares and summarises udmaview timing reports.", epilog=EPILOG)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    plot = commands.add_parser(
        "plot", help="plot one run",
        description="Plots one run: the time of each stage per frame (produced → imported → "
        "submitted → presented) with dropped frames and the display period, the distribution "
        "(CDF) of each stage with p50/p95/p99, and bytes copied and imports per frame.")
    plot.add_argument("report", help="timing report (.json or .csv)")
    picture_options(plot, required=True)
    compare = commands.add_parser(
        "compare", help="overlay several runs and print a table",
        description="Overlays the produced → presented time of several runs (CDF and per "
        "frame) and prints a table of each run's p50/p95/p99, bytes/frame, imports/frame and "
        "fps, with ratios against the first run. The reports must have the same frame fields.")
    compare.add_argument("reports", nargs="+", metavar="report",
                         help="timing reports (.json or .csv); the first is the base")
    compare.add_argument("--label", action="extend", nargs="+", metavar="NAME",
                         help="one name per report, in order, after the reports "
                         "(default: the file names)")
    picture_options(compare, required=False)
    summary = commands.add_parser(
        "summary", help="print a run's numbers as text",
        description="Prints each run's frames, fps, p50/p95/p99/max per stage, bytes copied "
        "and imports per frame, computed from the frames (so CSV reports work too).")
    summary.add_argument("reports", nargs="+", metavar="report",
                         help="timing reports (.json or .csv)")
    return parser


def fail(message):
    print(f"udmaview-timing: {message}", file=sys.stderr)
    return 1


def field_difference(reports):
    """None when every report has the first one's frame fields, else what differs."""
    base = reports[0]
    for other in reports[1:]:
        if set(other.fields) != set(base.fields):
            only_base = sorted(set(base.fields) - set(other.fields))
            only_other = sorted(set(other.fields) - set(base.fields))
            parts = [f"only {r.path} has {', '.join(f)}"
                     for r, f in ((base, only_base), (other, only_other)) if f]
            return (f"{base.path} and {other.path} have different frame fields ("
                    f"{'; '.join(parts)}); compare reports written by the same udmaview")
    return None


def run(args):
    paths = [args.report] if args.command == "plot" else args.reports
    try:
        reports = [load(p) for p in paths]
    except ReportError as e:
        return fail(str(e))
    stats = [RunStats(r) for r in reports]

    if args.command == "summary":
        from .text import summary
        sys.stdout.write("\n".join(summary(r, s) for r, s in zip(reports, stats)))
        return 0
    if args.command == "compare":
        difference = field_difference(reports)
        if difference:
            return fail(difference)
        from .text import compare_table
        runs = list(zip(args.label or [r.label for r in reports], reports, stats))
        sys.stdout.write(compare_table(runs))
        sys.stdout.flush()
        if not args.output:
            return 0
    created = not os.path.exists(args.output)
    try:
        # Fail before the slow part (matplotlib), as udmaview does with its timing file.
        with open(args.output, "ab"):
            pass
    except OSError as e:
        return fail(f"{args.output}: cannot write it ({e.strerror}); check that the directory "
                    "exists and is writable")
    try:
        if args.command == "plot":
            from .plot_run import plot_run
            plot_run(reports[0], stats[0], args.output, args.size, args.title, args.period_ms)
        else:
            from .plot_compare import plot_compare
            plot_compare(runs, args.output, args.size, args.title, args.period_ms)
    except ModuleNotFoundError as e:
        take_back(args.output, created)
        return fail(f"{args.output}: cannot plot: {sys.executable} has no module {e.name}; "
                    "install python3-matplotlib (tools/install-deps), run with /usr/bin/python3")
    except OSError as e:
        take_back(args.output, created)
        return fail(f"{args.output}: writing it failed ({e.strerror}); check the free space")
    return 0


def take_back(path, created):
    """Removes the empty file the write probe made when no picture followed."""
    try:
        if created and os.path.getsize(path) == 0:
            os.unlink(path)
    except OSError:
        pass


def main(argv):
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "compare" and args.label and len(args.label) != len(args.reports):
        parser.error(f"{len(args.label)} --label names for {len(args.reports)} reports: "
                     "give one name per report")
    try:
        return run(args)
    except BrokenPipeError:
        # The reader of stdout went away (e.g. `| head`): nothing left to say.
        sys.stderr.close()
        return 0
