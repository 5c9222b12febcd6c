"""Charts with matplotlib: SVG for HTML/PDF, PNG at 200 dpi for Word; deterministic.

Text is drawn with a CJK font found through matplotlib's font manager, and SVG
text is stored as paths, so the PDF embeds no extra font family for charts.
Each chart is a :class:`~docgen.render.document.Picture` whose drawing runs only
when a writer asks for that form.
"""
from __future__ import annotations

import datetime as dt
import gc
import io
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import TYPE_CHECKING, Any

from docgen.render.document import Picture

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from matplotlib.typing import RcKeyType

# matplotlib is imported when a chart is first drawn, not when documents are listed:
# a rerun that skips every document never pays for it.

MM_PER_INCH = 25.4
PNG_DPI = 200
PALETTE = ["#2f5d8a", "#e08a2c", "#5a9e6f", "#b5525c", "#7a6aa8", "#8c8c8c"]
CJK_CANDIDATES = ["Noto Sans CJK TC", "Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Sans CJK KR",
                  "Source Han Sans TC", "WenQuanYi Zen Hei", "Microsoft JhengHei", "SimHei"]


@lru_cache(maxsize=1)
def cjk_families() -> list[str]:
    """Font families matplotlib can use for Chinese, best first, then a Latin fallback."""
    from matplotlib import font_manager

    have = {f.name for f in font_manager.fontManager.ttflist}
    return [name for name in CJK_CANDIDATES if name in have] + ["DejaVu Sans"]


def _style() -> dict[RcKeyType, Any]:
    from matplotlib.rcsetup import cycler

    return {
        "font.family": "sans-serif",
        "font.sans-serif": cjk_families(),
        "font.size": 8,
        "axes.unicode_minus": False,
        "svg.fonttype": "path",
        "svg.hashsalt": "docgen",
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.edgecolor": "#666666",
        "axes.prop_cycle": cycler(color=PALETTE),
    }


def _save(draw: Callable[[Figure], None], width_mm: float, height_mm: float, fmt: str) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    # long labels make tight_layout give up, and a tab in a label has no glyph: the chart is still
    # drawn, and matplotlib's warnings about it must not reach the user
    with matplotlib.rc_context(_style()), warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Tight layout not applied", UserWarning)
        warnings.filterwarnings("ignore", "Glyph .* missing from font", UserWarning)
        fig = plt.figure(figsize=(width_mm / MM_PER_INCH, height_mm / MM_PER_INCH))
        try:
            draw(fig)
            out = io.BytesIO()
            if fmt == "svg":
                fig.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
            else:
                fig.savefig(out, format="png", dpi=PNG_DPI, metadata={"Software": None})
            return out.getvalue()
        finally:
            plt.close(fig)
            # a figure is a web of reference cycles holding its pixel buffers (about 19 MiB for a
            # sales chart); collect it now, or a worker's memory climbs until the next full collection
            gc.collect()


@lru_cache(maxsize=64)
def _drawn(spec: ChartSpec, width_mm: float, height_mm: float, fmt: str) -> bytes:
    return _save(spec.draw, width_mm, height_mm, fmt)


def _svg(spec: ChartSpec, width_mm: float, height_mm: float) -> bytes:
    return _drawn(spec, width_mm, height_mm, "svg")


def _png(spec: ChartSpec, width_mm: float, height_mm: float) -> bytes:
    return _drawn(spec, width_mm, height_mm, "png")


class ChartSpec:
    """A chart described by plain, hashable data; ``draw(fig)`` draws it.

    Specs (not drawing closures) travel in render jobs, so jobs pickle to worker
    processes and the same spec draws the same bytes anywhere.
    """

    def draw(self, fig: Figure) -> None:  # pragma: no cover - abstract
        raise NotImplementedError


def picture(name: str, spec: ChartSpec, width_mm: float = 160, height_mm: float = 80) -> Picture:
    """A :class:`Picture` of ``spec``, drawn on demand (each form once per process)."""
    return Picture(name, width_mm, height_mm, partial(_svg, spec, width_mm, height_mm),
                   partial(_png, spec, width_mm, height_mm))


@dataclass(frozen=True)
class Series:
    """One named series of values (already in display units)."""

    label: str
    values: tuple[float, ...]
    kind: str = "bar"  # bar | line


@dataclass(frozen=True)
class BarChart(ChartSpec):
    """Grouped bars (and lines) by category, e.g. a monthly target by month.

    :param secondary: an optional line on a right-hand axis (e.g. cumulative completion %).
    """

    categories: tuple[str, ...]
    series: tuple[Series, ...]
    ylabel: str = ""
    secondary: Series | None = None
    secondary_label: str = ""

    def draw(self, fig: Figure) -> None:
        ax = fig.add_subplot(1, 1, 1)
        bars = [s for s in self.series if s.kind == "bar"]
        width = 0.8 / max(len(bars), 1)
        xs = list(range(len(self.categories)))
        for i, s in enumerate(bars):
            ax.bar([x - 0.4 + width * (i + 0.5) for x in xs], s.values, width=width, label=s.label,
                   color=PALETTE[i % len(PALETTE)])
        for j, s in enumerate(s for s in self.series if s.kind == "line"):
            ax.plot(xs, s.values, marker="o", markersize=3, label=s.label,
                    color=PALETTE[(len(bars) + j) % len(PALETTE)])
        ax.set_xticks(xs, list(self.categories))
        if len(self.categories) > 8:
            ax.tick_params(axis="x", labelsize=7)
        ax.set_ylabel(self.ylabel)
        if all(float(v).is_integer() for s in self.series for v in s.values):
            from matplotlib.ticker import MaxNLocator  # counts: ticks at 0, 1, 2 …, never 1.5 家/次

            ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(axis="y", color="#dddddd", linewidth=0.6)
        ax.set_axisbelow(True)
        handles, labels = ax.get_legend_handles_labels()
        if self.secondary is not None:
            ax2 = ax.twinx()
            ax2.plot(xs, self.secondary.values, color=PALETTE[3], marker="s", markersize=3,
                     label=self.secondary.label)
            ax2.set_ylabel(self.secondary_label)
            ax2.spines["top"].set_visible(False)
            ax2.set_ylim(bottom=0)
            h2, l2 = ax2.get_legend_handles_labels()
            handles, labels = handles + h2, labels + l2
        if len(labels) > 1:  # below the plot, where it cannot cover a bar
            fig.legend(handles, labels, loc="lower center", frameon=False, ncol=min(len(labels), 4))
            fig.tight_layout(rect=(0, 0.07, 1, 1))
        else:
            fig.tight_layout()


def bar_chart(name: str, categories: Iterable[str], series: Iterable[Series], ylabel: str = "",
              width_mm: float = 160, height_mm: float = 75, secondary: Series | None = None,
              secondary_label: str = "") -> Picture:
    """A :class:`BarChart` as a picture; a series with no value other than zero is left out."""
    shown = [s for s in series if any(s.values)] or list(series)[:1]
    spec = BarChart(tuple(categories), tuple(shown), ylabel, secondary, secondary_label)
    return picture(name, spec, width_mm, height_mm)


@dataclass(frozen=True)
class GanttBar:
    """A dated bar in a Gantt chart (a phase or a task)."""

    label: str
    start: dt.date
    end: dt.date
    is_phase: bool = False


@dataclass(frozen=True)
class Gantt(ChartSpec):
    """Phases and their dated tasks as horizontal bars on a date axis."""

    bars: tuple[GanttBar, ...]

    def draw(self, fig: Figure) -> None:
        import matplotlib.dates as mdates

        ax = fig.add_subplot(1, 1, 1)
        for i, bar in enumerate(self.bars):
            start = mdates.date2num(bar.start)
            length = mdates.date2num(bar.end) - start + 1
            color = PALETTE[0] if bar.is_phase else PALETTE[1]
            ax.barh(i, length, left=start, height=0.6 if bar.is_phase else 0.45, color=color)
        ax.set_yticks(range(len(self.bars)), [b.label for b in self.bars])
        ax.invert_yaxis()
        span = (max(b.end for b in self.bars) - min(b.start for b in self.bars)).days if self.bars else 0
        if span > 120:
            ax.xaxis.set_major_locator(mdates.MonthLocator())
        else:
            ax.xaxis.set_major_locator(mdates.WeekdayLocator(byweekday=mdates.MO))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%m/%d"))
        ax.grid(axis="x", color="#dddddd", linewidth=0.6)
        ax.set_axisbelow(True)
        fig.tight_layout()


def gantt(name: str, bars: Iterable[GanttBar], width_mm: float = 165) -> Picture:
    """A :class:`Gantt` as a picture, as tall as its bars need."""
    listed = tuple(bars)
    return picture(name, Gantt(listed), width_mm, 18 + 7 * max(len(listed), 1))


@dataclass(frozen=True)
class OrgNode:
    """A box in the organisation chart and the boxes reporting to it."""

    label: str
    children: tuple[OrgNode, ...] = ()
    highlight: bool = False


def _layout(node: OrgNode, depth: int, next_x: list[float], out: list[tuple[OrgNode, float, int]]) -> float:
    if not node.children:
        x = next_x[0]
        next_x[0] += 1
    else:
        xs = [_layout(c, depth + 1, next_x, out) for c in node.children]
        x = (xs[0] + xs[-1]) / 2
    out.append((node, x, depth))
    return x


def _placed(root: OrgNode) -> list[tuple[OrgNode, float, int]]:
    placed: list[tuple[OrgNode, float, int]] = []
    _layout(root, 0, [0.0], placed)
    return placed


@dataclass(frozen=True)
class OrgChart(ChartSpec):
    """A top-down organisation chart: boxes by reporting line, leaves spread evenly."""

    root: OrgNode

    def draw(self, fig: Figure) -> None:
        placed = _placed(self.root)
        depth = max(d for _, _, d in placed) + 1
        leaves = max(x for _, x, _ in placed) + 1
        where = {id(n): (x, d) for n, x, d in placed}
        ax = fig.add_axes((0, 0, 1, 1))
        ax.set_xlim(-0.6, leaves - 0.4)
        ax.set_ylim(depth - 0.45, -0.55)
        ax.axis("off")
        for node, x, d in placed:
            for child in node.children:
                cx, cd = where[id(child)]
                mid = d + 0.5
                ax.plot([x, x, cx, cx], [d + 0.16, mid, mid, cd - 0.16], color="#666666", linewidth=0.8)
        for node, x, d in placed:
            face = "#2f5d8a" if node.highlight else "#eef2f7"
            text = "white" if node.highlight else "#1d2b3a"
            ax.text(x, d, "\n".join(_wrap(node.label, 6)), ha="center", va="center", fontsize=9,
                    color=text, bbox={"boxstyle": "round,pad=0.45", "facecolor": face, "edgecolor": "#2f5d8a",
                                      "linewidth": 0.8})


def org_chart(name: str, root: OrgNode, width_mm: float = 165) -> Picture:
    """An :class:`OrgChart` as a picture, as tall as its depth needs."""
    depth = max(d for _, _, d in _placed(root)) + 1
    return picture(name, OrgChart(root), width_mm, 20 * depth + 4)


def _wrap(text: str, width: int) -> list[str]:
    return [text[i:i + width] for i in range(0, len(text), width)] or [""]
