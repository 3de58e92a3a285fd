"""The trend chart: matching paragraphs per period, one bar series per body, drawn without a display."""

from __future__ import annotations

from pathlib import Path

from unres.index.errors import ConfigError, IndexWriteError
from unres.search.trend import Trend


def require_matplotlib() -> None:
    """Fail before any work when the optional plotting library is missing, naming the extra to install."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise ConfigError("--plot needs matplotlib: pip install 'unres[plot]'") from None


def plot_trend(found: Trend, path: Path) -> None:
    """Bars of matching paragraphs per period and body, with the share of all paragraphs above each bar."""
    require_matplotlib()
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    periods = sorted({p.period for p in found.points})
    bodies = sorted({p.body for p in found.points})
    width = 0.8 / max(len(bodies), 1)
    figure, axes = plt.subplots(figsize=(max(6.0, 0.5 * len(periods) + 2), 4.2), dpi=120)
    for index, body in enumerate(bodies):
        points = {p.period: p for p in found.points if p.body == body}
        xs = [i + (index - (len(bodies) - 1) / 2) * width for i in range(len(periods))]
        heights = [points[p].matching if p in points else 0 for p in periods]
        bars = axes.bar(xs, heights, width=width, label=body)
        for bar, period in zip(bars, periods, strict=True):
            if period in points and points[period].matching:
                axes.annotate(f"{points[period].share:.1%}", (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                              ha="center", va="bottom", fontsize=8, xytext=(0, 2), textcoords="offset points")
    axes.set_xticks(range(len(periods)), [str(p) for p in periods], rotation=45 if len(periods) > 12 else 0)
    axes.set_xlabel("GA session" if found.by == "session" else "year adopted")
    axes.set_ylabel("matching operative paragraphs")
    verbs = f", verb {', '.join(found.verbs)}" if found.verbs else ""
    axes.set_title(f"Paragraphs with “{found.query}”{verbs}\n(label: share of all paragraphs that period)", fontsize=10)
    axes.spines[["top", "right"]].set_visible(False)
    if len(bodies) > 1:
        axes.legend(frameon=False)
    figure.tight_layout()
    try:
        figure.savefig(path)
    except OSError as error:
        raise IndexWriteError(f"{path}: cannot write the chart ({error.strerror or error})") from None
    finally:
        plt.close(figure)
