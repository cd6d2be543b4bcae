"""Charts as inline SVG drawn on the server: no script, no web font, the same markup on a page
and in a WeasyPrint PDF (pure functions; the caller puts the `Markup` into its template).

* `line(points)` — a trend: one value per label, a missing value (None) a gap in the line, never
  a drop to zero ("no data" is not 0);
* `bars(points)` — one bar per label, or, given ``{name: points}``, a group of bars per label with
  a legend (scheduled beside required); a missing value leaves its bar out.

Both take ``target`` (a dashed line at that height, labelled), ``unit`` (``"%"`` for a rate
stored as a fraction — 0.8 is shown as 80% —, ``"s"`` for seconds, ``"¥"`` for yuan, anything
else written after the number) and ``title``, which becomes the chart's accessible name
(``<title>``, with every value in ``<desc>``) and is shown above it. The value axis starts at 0
and ends at the first round tick at or above the highest value and the target; labels along the bottom are
thinned so that they do not overlap. The class is ``svgchart`` (the theme's ``.chart`` styles
centre every text of its own charts). A chart's markup depends only on its arguments (its ids
are a hash of them), so a report regenerated from the same figures is byte-identical.
"""

from __future__ import annotations

import hashlib
import math
from html import escape

from markupsafe import Markup

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 52, 12, 28, 200  # the plot area (SVG units)
MAX_LABELS = 12
INK, GRID, TARGET, MUTED = "#1f2933", "#d9dee3", "#c0392b", "#5f6b76"
COLOURS = ("#2f6fb2", "#e8a33d", "#3f9b6b", "#8e5bb5")
SECONDS = {"en": "{n} s", "zh": "{n}秒"}

# Noto Sans CJK SC first: a bare sans-serif lets the PDF pick the JP face, whose ≥ is drawn ⩾
FONT = "'Noto Sans CJK SC', 'Noto Sans CJK', sans-serif"


def _number(value: float, places: int) -> str:
    text = f"{value:,.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def fmt(value: float | None, unit: str = "", locale: str = "en", places: int = 1) -> str:
    """*value* as the chart writes it: a fraction as percent, seconds, yuan, or a number."""
    if value is None:
        return "–"
    if unit == "%":
        return f"{_number(value * 100, places)}%"
    if unit == "s":
        return SECONDS["zh" if locale.startswith("zh") else "en"].format(n=_number(value, places))
    if unit == "¥":
        return f"¥{_number(value, 2)}"
    return f"{_number(value, places)}{unit}"


def _axis(highest: float, unit: str) -> list[float]:
    """The value axis's ticks from 0: a round step (1, 2, 2.5 or 5 × 10ⁿ) about a quarter of
    *highest*, up to the first tick at or above it; 0 – 100 % by 20 for a rate under 1."""
    if unit == "%" and highest <= 1:
        return [n / 5 for n in range(6)]
    if highest <= 0:
        return [0.0, 1.0]
    rough = highest / 4
    power = 10 ** math.floor(math.log10(rough))
    step = next(f * power for f in (1, 2, 2.5, 5, 10) if rough <= f * power)
    return [step * n for n in range(math.ceil(highest / step - 1e-9) + 1)]


def _y(value: float, top: float) -> float:
    return round(BOTTOM - (BOTTOM - TOP) * (value / top), 2)


def _chart_id(kind: str, *parts) -> str:
    return f"chart-{kind}-" + hashlib.sha1(repr(parts).encode("utf-8")).hexdigest()[:10]


def _frame(kind: str, chart_id: str, title: str, desc: str, body: list[str], ticks: list[float],
           unit: str, locale: str, target: float | None, legend: list[str]) -> Markup:
    top = ticks[-1]
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="svgchart svgchart-{kind}" '
             f'viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" '
             f'aria-labelledby="{chart_id}-t {chart_id}-d" '
             f'font-family="{FONT}" font-size="11" preserveAspectRatio="xMidYMid meet">',
             f'<title id="{chart_id}-t">{escape(title)}</title>',
             f'<desc id="{chart_id}-d">{escape(desc)}</desc>']
    if title:
        parts.append(f'<text x="{LEFT}" y="16" font-size="13" font-weight="bold" fill="{INK}">'
                     f'{escape(title)}</text>')
    for tick in ticks:
        y = _y(tick, top)
        parts.append(f'<line class="grid" data-value="{tick:g}" x1="{LEFT}" x2="{WIDTH - RIGHT}" '
                     f'y1="{y}" y2="{y}" stroke="{GRID}" stroke-width="1"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4}" text-anchor="end" fill="{MUTED}">'
                     f'{escape(fmt(tick, unit, locale, 1))}</text>')
    parts += body
    if target is not None:
        y = _y(target, top)
        parts.append(f'<line class="target" data-value="{target:g}" x1="{LEFT}" '
                     f'x2="{WIDTH - RIGHT}" y1="{y}" y2="{y}" stroke="{TARGET}" stroke-width="1.5" '
                     f'stroke-dasharray="6 4"/>')
        parts.append(f'<text class="target-label" x="{WIDTH - RIGHT}" y="{y - 4}" text-anchor="end" '
                     f'fill="{TARGET}">{escape(fmt(target, unit, locale))}</text>')
    parts += legend
    parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{BOTTOM}" y2="{BOTTOM}" '
                 f'stroke="{INK}" stroke-width="1"/></svg>')
    return Markup("".join(parts))


def _labels(labels: list[str]) -> list[str]:
    """The x-axis labels, every n-th one so that at most `MAX_LABELS` are written."""
    step = max(1, math.ceil(len(labels) / MAX_LABELS))
    width = (WIDTH - LEFT - RIGHT) / max(1, len(labels))
    return [f'<text x="{round(LEFT + width * (n + 0.5), 2)}" y="{BOTTOM + 16}" text-anchor="middle" '
            f'fill="{MUTED}">{escape(str(label))}</text>'
            for n, label in enumerate(labels) if n % step == 0]


def _desc(series: dict[str, list], unit: str, locale: str, target: float | None) -> str:
    lines = []
    for name, points in series.items():
        values = "; ".join(f"{label}: {fmt(value, unit, locale)}" for label, value in points)
        lines.append(f"{name}: {values}" if name else values)
    if target is not None:
        lines.append(f"target {fmt(target, unit, locale)}" if not locale.startswith("zh")
                     else f"目标 {fmt(target, unit, locale)}")
    return ". ".join(lines)


def _ticks(series: dict[str, list], target: float | None, unit: str) -> list[float]:
    values = [v for points in series.values() for _, v in points if v is not None]
    return _axis(max(values + ([target] if target is not None else []), default=0.0), unit)


def line(points: list[tuple], *, target: float | None = None, unit: str = "", title: str = "",
         locale: str = "en") -> Markup:
    """A line through *points* (``(label, value or None)``), broken where a value is missing."""
    points = list(points)
    ticks = _ticks({"": points}, target, unit)
    top = ticks[-1]
    width = (WIDTH - LEFT - RIGHT) / max(1, len(points))
    body, run = [], []
    for n, (label, value) in enumerate(points + [(None, None)]):
        if value is None:
            if len(run) > 1:
                coords = " ".join(f"{x},{y}" for x, y, _ in run)
                body.append(f'<polyline class="series" points="{coords}" fill="none" '
                            f'stroke="{COLOURS[0]}" stroke-width="2"/>')
            run = []
            continue
        run.append((round(LEFT + width * (n + 0.5), 2), _y(value, top), label))
        x, y, _ = run[-1]
        body.append(f'<circle class="point" cx="{x}" cy="{y}" r="3" fill="{COLOURS[0]}">'
                    f'<title>{escape(str(label))}: {escape(fmt(value, unit, locale))}</title></circle>')
    body += _labels([label for label, _ in points])
    chart_id = _chart_id("line", points, target, unit, title, locale)
    return _frame("line", chart_id, title, _desc({"": points}, unit, locale, target), body, ticks,
                  unit, locale, target, [])


def bars(points, *, target: float | None = None, unit: str = "", title: str = "",
         locale: str = "en") -> Markup:
    """Bars of *points* (``(label, value or None)``), or grouped bars of several series given
    as ``{name: points}`` (every series with the same labels, in order), with a legend."""
    series = dict(points) if isinstance(points, dict) else {"": list(points)}
    labels = [label for label, _ in next(iter(series.values()), [])]
    ticks = _ticks(series, target, unit)
    top = ticks[-1]
    slot = (WIDTH - LEFT - RIGHT) / max(1, len(labels))
    bar = slot * 0.8 / max(1, len(series))
    body = []
    for s, (name, values) in enumerate(series.items()):
        colour = COLOURS[s % len(COLOURS)]
        for n, (label, value) in enumerate(values):
            if value is None:
                continue
            x = round(LEFT + slot * n + slot * 0.1 + bar * s, 2)
            y = _y(value, top)
            what = f"{name} · {label}" if name else str(label)
            body.append(f'<rect class="bar" x="{x}" y="{y}" width="{round(bar, 2)}" '
                        f'height="{round(BOTTOM - y, 2)}" fill="{colour}">'
                        f'<title>{escape(what)}: {escape(fmt(value, unit, locale))}</title></rect>')
    body += _labels(labels)
    legend = []
    if len(series) > 1 or any(series):
        x = LEFT
        for s, name in enumerate(series):
            legend.append(f'<rect x="{x}" y="{HEIGHT - 14}" width="10" height="10" '
                          f'fill="{COLOURS[s % len(COLOURS)]}"/><text x="{x + 14}" y="{HEIGHT - 5}" '
                          f'fill="{INK}">{escape(name)}</text>')
            x += 24 + 7 * len(name) + (7 * sum(1 for c in name if ord(c) > 0x2e80))
    chart_id = _chart_id("bars", series, target, unit, title, locale)
    return _frame("bars", chart_id, title, _desc(series, unit, locale, target), body, ticks, unit,
                  locale, target, legend)
