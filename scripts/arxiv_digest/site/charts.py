"""Bar charts as inline SVG, drawn at build time: readers load no chart library.

Each chart is an ``<svg role="img">`` named by its ``<title>`` and described by its ``<desc>``;
the page that holds one also gives its numbers as a table. Colours come from the page's CSS
(``digest.css``: Material's palette variables, so both palettes read), text is
``currentColor``; the attributes hold fallbacks for a reader without the stylesheet.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

#: The charts' width in SVG units; they scale to the page's width (digest.css).
WIDTH = 640
_FONT = 12
_STEPS = (1, 2, 5)


@dataclass(frozen=True)
class Bar:
    """One bar of a chart."""

    value: int
    label: str
    """What the bar is, with its value, for the tooltip (``Monday, 27 April 2026: 12 papers``)."""
    tick: str = ""
    """Shown under the bar; empty for most bars, so that the labels do not collide."""


def scale_max(peak: int, ticks: int = 4) -> tuple[int, int]:
    """(top of the value axis, step between its grid lines): a round step, at most ``ticks``
    lines above zero, the top at or above ``peak``."""
    magnitude = 1
    while True:
        for step in _STEPS:
            size = step * magnitude
            if peak <= size * ticks:
                return max(size, -(-peak // size) * size), size
        magnitude *= 10


def _svg_open(ident: str, title: str, desc: str, height: int) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="digest-chart__svg" '
            f'viewBox="0 0 {WIDTH} {height}" role="img" '
            f'aria-labelledby="{ident}-title {ident}-desc" font-size="{_FONT}" fill="currentColor">'
            f'<title id="{ident}-title">{html.escape(title)}</title>'
            f'<desc id="{ident}-desc">{html.escape(desc)}</desc>')


def fit(text: str, room: float) -> str:
    """``text`` shortened to about ``room`` units of width: a closing parenthesis dropped first
    (``Efficient architectures (SSMs, linear RNNs)``), then cut with an ellipsis."""
    most = int(room / (_FONT * 0.55))  # the average width of a character, about 0.55 em
    if len(text) > most and text.endswith(")") and " (" in text:
        text = text[: text.rindex(" (")]
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"


def _text(x: float, y: float, text: str, anchor: str = "middle") -> str:
    return f'<text x="{x:g}" y="{y:g}" text-anchor="{anchor}">{html.escape(text)}</text>'


def bar_chart(ident: str, title: str, desc: str, bars: Sequence[Bar], height: int = 220) -> str:
    """Vertical bars over grid lines of round values; ``ident`` makes the chart's ids unique."""
    left, right, top, bottom = 40, 24, 10, 26
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    peak = max((b.value for b in bars), default=0)
    ymax, step = scale_max(peak)
    parts = [_svg_open(ident, title, desc, height), '<g class="digest-chart__grid">']
    for value in range(0, ymax + 1, step):
        y = top + plot_h - plot_h * value / ymax
        parts.append(f'<line x1="{left}" x2="{WIDTH - right}" y1="{y:.1f}" y2="{y:.1f}" '
                     'stroke="currentColor" stroke-opacity="0.2"/>')
        parts.append(_text(left - 6, y + _FONT / 3, f"{value:,}", "end"))
    parts.append('</g><g class="digest-chart__bars">')
    slot = plot_w / max(len(bars), 1)
    width = max(slot * 0.72, 1.0)
    for position, bar in enumerate(bars):
        x = left + position * slot + (slot - width) / 2
        tall = plot_h * bar.value / ymax
        if bar.value:
            parts.append(f'<rect class="digest-chart__bar" x="{x:.1f}" '
                         f'y="{top + plot_h - tall:.1f}" width="{width:.1f}" height="{tall:.1f}">'
                         f"<title>{html.escape(bar.label)}</title></rect>")
        if bar.tick:
            parts.append(_text(x + width / 2, height - 8, bar.tick))
    parts.append("</g></svg>")
    return "".join(parts)


def rows_chart(ident: str, title: str, desc: str, ticks: Sequence[str],
               rows: Sequence[tuple[str, Sequence[int]]], row_height: int = 28) -> str:
    """One row of bars per series on one shared scale (small multiples: no colour to tell the
    series apart), the series' name on the left and its total on the right. ``ticks`` label
    the columns; empty ones are left out."""
    label_w, total_w, top, bottom = 236, 52, 4, 22
    plot_w = WIDTH - label_w - total_w
    height = top + row_height * len(rows) + bottom
    columns = max((len(counts) for _, counts in rows), default=0)
    peak = max((c for _, counts in rows for c in counts), default=0) or 1
    slot = plot_w / max(columns, 1)
    width = max(slot * 0.72, 1.0)
    parts = [_svg_open(ident, title, desc, height)]
    for number, (name, counts) in enumerate(rows):
        base = top + row_height * (number + 1) - 4
        tall_max = row_height - 8
        parts.append(_text(0, base - 4, fit(name, label_w - 8), "start"))
        parts.append(_text(WIDTH, base - 4, f"{sum(counts):,}", "end"))
        parts.append(f'<line class="digest-chart__grid" x1="{label_w}" x2="{label_w + plot_w}" '
                     f'y1="{base}" y2="{base}" stroke="currentColor" stroke-opacity="0.2"/>')
        # One path per row: a rectangle per bucket, without a tooltip (the table has them).
        boxes = "".join(
            f"M{label_w + i * slot + (slot - width) / 2:.1f} {base}"
            f"v{-max(tall_max * c / peak, 1):.1f}h{width:.1f}V{base}z"
            for i, c in enumerate(counts) if c)
        if boxes:
            parts.append(f'<path class="digest-chart__bar" d="{boxes}"/>')
    axis = height - 6
    for i, tick in enumerate(ticks):
        if tick:
            parts.append(_text(label_w + i * slot + slot / 2, axis, tick))
    parts.append("</svg>")
    return "".join(parts)
