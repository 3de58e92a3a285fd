"""The trend chart: matching paragraphs per period, one bar series per body, drawn without a display."""

from __future__ import annotations

import io
from pathlib import Path

from unres.index.errors import ConfigError
from unres.search.trend import Trend

from .output import OutputError, check_output, write_file


def require_matplotlib() -> None:
    """Fail before any work when the optional plotting library is missing, naming the extra to install."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise ConfigError("--plot needs matplotlib: pip install 'unres[plot]'") from None


def chart_format(path: Path) -> str:
    """The chart's format, checked before any work: its file name's suffix if matplotlib can write it, else PNG for a
    name without one. The chart goes to `path` itself (matplotlib alone would write `path.png` beside it)."""
    require_matplotlib()
    from matplotlib.backend_bases import FigureCanvasBase

    formats = set(FigureCanvasBase.get_supported_filetypes()) - {"pgf"}  # pgf needs a TeX installation to draw
    suffix = path.suffix.lower().lstrip(".")
    if suffix and suffix not in formats:
        raise OutputError(f"{path}: cannot draw a chart as {path.suffix} (formats: {', '.join(sorted(formats))})")
    check_output(path)
    return suffix or "png"


def plot_trend(found: Trend, path: Path, chart: str = "png") -> None:
    """Bars: matching paragraphs per period and body; line (right axis): their share of all paragraphs; written to
    `path` in the format `chart` (see `chart_format`)."""
    require_matplotlib()
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator, PercentFormatter

    bodies = sorted({p.body for p in found.points})
    width = 0.8 / max(len(bodies), 1)
    figure, counts = plt.subplots(figsize=(10, 4.2), dpi=110)
    shares = counts.twinx()
    for index, body in enumerate(bodies):
        points = sorted((p for p in found.points if p.body == body), key=lambda p: p.period)
        offset = (index - (len(bodies) - 1) / 2) * width
        colour = f"C{index}"
        counts.bar([p.period + offset for p in points], [p.matching for p in points], width=width, color=colour,
                   alpha=0.55, label=f"{body}: matching paragraphs")
        xs, ys = _gaps_broken([p.period for p in points], [100 * p.share for p in points])
        shares.plot(xs, ys, color=colour, marker="o", markersize=3, linewidth=1.2, label=f"{body}: share of all paragraphs")
    counts.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=12))
    counts.yaxis.set_major_locator(MaxNLocator(integer=True))
    counts.set_xlabel("GA session (SC: year)" if found.by == "session" else "year adopted")
    counts.set_ylabel("matching operative paragraphs")
    shares.set_ylabel("share of the period's operative paragraphs")
    shares.yaxis.set_major_formatter(PercentFormatter(decimals=0))
    shares.set_ylim(bottom=0)
    verbs = f", verb {', '.join(found.verbs)}" if found.verbs else ""
    counts.set_title(f"Operative paragraphs holding “{found.query}”{verbs}: {found.total} in all", fontsize=11)
    counts.spines[["top"]].set_visible(False)
    shares.spines[["top"]].set_visible(False)
    handles = counts.get_legend_handles_labels()[0] + shares.get_legend_handles_labels()[0]
    counts.legend(handles, [h.get_label() for h in handles], frameon=False, loc="upper left", fontsize=9)
    figure.tight_layout()
    drawn = io.BytesIO()
    try:
        figure.savefig(drawn, format=chart)
    finally:
        plt.close(figure)
    write_file(path, drawn.getvalue())


def _gaps_broken(xs: list[int], ys: list[float]) -> tuple[list[float], list[float]]:
    """The line's points with a break (NaN) where periods are missing, so no line crosses years without documents."""
    out_x: list[float] = []
    out_y: list[float] = []
    for index, (x, y) in enumerate(zip(xs, ys, strict=True)):
        if index and x - xs[index - 1] > 1:
            out_x.append(float("nan"))
            out_y.append(float("nan"))
        out_x.append(x)
        out_y.append(y)
    return out_x, out_y
