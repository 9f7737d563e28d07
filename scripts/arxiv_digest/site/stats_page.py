"""The stats page's HTML: two charts, each with its numbers as a table, and the table of the last
days' listings (``stats.Stats`` holds the figures)."""

from __future__ import annotations

import datetime as dt
import html
import math

from . import urls
from .charts import Bar, bar_chart, rows_chart
from .content import Content
from .render import long_date
from .stats import DayFigures, Stats

_SOURCES = {"rss": "RSS", "api": "API (back-filled)", "page": "day page"}


def _link(href: str, text: str) -> str:
    return f'<a href="{html.escape(href)}">{text}</a>'


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def _every(count: int, labels: int = 6) -> int:
    """Label one column in this many, for about ``labels`` labels under a chart."""
    return max(1, math.ceil(count / labels))


def _bucket_name(start: dt.date, bucket: str) -> str:
    if bucket == "week":
        return f"week of {start.day} {start:%B %Y}"
    return f"{start:%B %Y}" if bucket == "month" else str(start.year)


def _tick(start: dt.date, bucket: str) -> str:
    if bucket == "week":
        return f"{start.day} {start:%b}"
    return f"{start:%b %Y}" if bucket == "month" else str(start.year)


def _scroll(inner: str, label: str) -> str:
    """A chart that keeps a legible size on a narrow screen and scrolls sideways there; it can
    take the keyboard's focus, which scrolls it."""
    return (f'<div class="digest-chart__scroll" tabindex="0" role="region" '
            f'aria-label="{html.escape(label)}">{inner}</div>')


def _table(caption: str, head: list[str], rows: list[list[str]]) -> str:
    """A table whose first column heads its rows; cells are HTML."""
    ths = "".join(f'<th scope="col">{cell}</th>' for cell in head)
    body = "".join("<tr>" + f'<th scope="row">{row[0]}</th>'
                   + "".join(f"<td>{cell}</td>" for cell in row[1:]) + "</tr>\n"
                   for row in rows)
    return (f"<table>\n<caption>{caption}</caption>\n<thead><tr>{ths}</tr></thead>\n"
            f"<tbody>\n{body}</tbody>\n</table>")


def _numbers(table: str) -> str:
    """The numbers behind a chart, folded under it."""
    return (f'<details class="digest-numbers abstract">\n<summary>The numbers</summary>\n'
            f"{table}\n</details>")


def stats_content(stats: Stats, links: urls.Links) -> Content:
    out = Content()
    out.heading(1, "Stats")
    if not stats.days:
        out.add("<p>No announcement day yet: the figures appear after the first daily run.</p>")
    else:
        out.add(f"<p>{_plural(stats.papers, 'paper')} kept over "
                f"{_plural(stats.announced, 'announcement day')}. How many each day, which "
                "topics over time, and what arXiv listed on the last days.</p>")
        _days_section(out, stats, links)
        _topics_section(out, stats, links)
    _table_section(out, stats, links)
    return out


def _days_section(out: Content, stats: Stats, links: urls.Links) -> None:
    days = stats.days
    out.heading(2, "Papers per announcement day")
    every = _every(len(days))
    bars = [Bar(count, f"{long_date(date)}: {_plural(count, 'paper')}",
                f"{date.day} {date:%b}" if (len(days) - 1 - n) % every == 0 else "")
            for n, (date, count) in enumerate(days)]
    counts = [count for _, count in days]
    most = max(days, key=lambda d: d[1])
    fewest = min(days, key=lambda d: d[1])
    span = (f"the last {_plural(len(days), 'announcement day')}, {long_date(days[0][0])} to "
            f"{long_date(days[-1][0])}")
    summary = (f"{sum(counts) / len(counts):.1f} papers a day on average; most "
               f"{most[1]}, on {long_date(most[0])}; fewest {fewest[1]}, on "
               f"{long_date(fewest[0])}.")
    title = "Papers kept per announcement day"
    chart = bar_chart("chart-days", title, f"Bars for {span}. {summary}", bars)
    out.add(f'<figure class="digest-chart">\n{_scroll(chart, title)}\n'
            f"<figcaption>{span[0].upper()}{span[1:]}: {summary}</figcaption>\n</figure>")
    # Each row links its day: a wide table scrolls, and its links take it the keyboard's focus.
    rows = [[_link(links.to(urls.day_uri(date)), long_date(date)), f"{count:,}"]
            for date, count in reversed(days)]
    out.add(_numbers(_table("Papers kept per announcement day, newest first",
                            ["Day", "Papers"], rows)))


def _topics_section(out: Content, stats: Stats, links: urls.Links) -> None:
    if not stats.buckets:
        return
    unit = stats.bucket
    out.heading(2, "Topics over time")
    every = _every(len(stats.buckets))
    count = len(stats.buckets)
    ticks = [_tick(start, unit) if (count - 1 - n) % every == 0 else ""
             for n, start in enumerate(stats.buckets)]
    peak = max((c for s in stats.topics for c in s.counts), default=0)
    span = (f"{_bucket_name(stats.buckets[0], unit)} to "
            f"{_bucket_name(stats.buckets[-1], unit)}")
    totals = ", ".join(f"{s.name} {s.total:,}" for s in stats.topics)
    title = f"Papers per {unit} by topic"
    desc = (f"One row of bars per topic, a bar per {unit} from {span}, all on one scale "
            f"(the tallest bar: {_plural(peak, 'paper')}). Totals: {totals}.")
    chart = rows_chart("chart-topics", title, desc, ticks,
                       [(s.name, s.counts) for s in stats.topics])
    out.add(f'<figure class="digest-chart">\n{_scroll(chart, title)}\n'
            f"<figcaption>Papers per {unit} in each topic, {span}, all rows on one scale "
            f"(the tallest bar: {_plural(peak, 'paper')}); the number after each row is its "
            "total. A paper may have several topics.</figcaption>\n</figure>")
    head = [unit.capitalize(), "All papers",
            *(_link(links.to(urls.tag_uri(s.tag)), html.escape(s.name)) if s.tag else s.name
              for s in stats.topics)]
    rows = [[_bucket_name(start, unit).capitalize(), f"{stats.totals[n]:,}",
             *(f"{s.counts[n]:,}" for s in stats.topics)]
            for n, start in reversed(list(enumerate(stats.buckets)))]
    out.add(_numbers(_table(f"Papers per {unit} and topic, newest first", head, rows)))


def _table_section(out: Content, stats: Stats, links: urls.Links) -> None:
    out.heading(2, "Listed and kept, last days")
    if not stats.table:
        out.add("<p>No listing recorded yet.</p>")
        return
    categories = stats.categories
    out.add("<p>For each of the last announcement days: the papers arXiv listed in the "
            "digest's categories (new and cross-listed, each once), the papers kept, and per "
            "category feed the papers kept of the items it served (replacements included). A "
            "day fetched by the daily run shows what its ledger recorded; an older day shows "
            "what its page holds.</p>")
    head = ["Day", "From", "Listed", "Kept",
            *(f"{html.escape(c)}<br><small>kept / served</small>" for c in categories)]
    rows = [_day_row(row, categories, links) for row in stats.table]
    out.add(_table(f"Listed and kept papers, the last {_plural(len(rows), 'day')}, newest first",
                   head, rows))


def _day_row(row: DayFigures, categories: tuple[str, ...], links: urls.Links) -> list[str]:
    day = f"{row.date:%a} {row.date.day} {row.date:%b %Y}"
    if row.has_page:
        day = _link(links.to(urls.day_uri(row.date)), day)
    feeds = {c: (items, kept) for c, items, kept in row.feeds}
    cells = [f"{feeds[c][1]:,} / {feeds[c][0]:,}" if c in feeds else "—" for c in categories]
    listed = f"{row.listed:,}" if row.listed is not None else "—"
    return [day, _SOURCES[row.source], listed, f"{row.kept:,}", *cells]
