"""The archive: year, month, day, with paper counts, newest first.

The archive page lists the days of the newest years in full while they fit on one list page;
each older year is a line (its papers and days) linking a page of its own, so no archive page
grows with the site (a year page holds at most 366 days).
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import groupby

from ..pages import schema
from . import urls
from .content import Content
from .index import PageIndex
from .tags import LIST_PAGE_ITEMS, Listing, month_name, month_of


def listings(index: PageIndex, page_items: int = LIST_PAGE_ITEMS) -> Iterator[Listing]:
    """The archive page, then a page for each year it does not show in full."""
    days = [index.days[date].meta for date in reversed(index.dates)]
    years = [(year, tuple(group)) for year, group in groupby(days, key=lambda d: d.date.year)]
    shown, count = 0, 0
    for _, of_year in years:
        if count + len(of_year) > page_items:
            break
        shown, count = shown + 1, count + len(of_year)
    yield Listing(urls.ARCHIVE_URI, "Archive", archive_content,
                  (tuple(years[:shown]), tuple((y, _papers(d), len(d)) for y, d in years[shown:]),
                   len(index.papers)))
    for year, of_year in years[shown:]:
        yield Listing(urls.archive_uri(year), f"Archive: {year}", year_content, (year, of_year))


def _papers(days: tuple[schema.Day, ...]) -> int:
    return sum(len(d.papers) for d in days)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


def archive_content(years: tuple[tuple[int, tuple[schema.Day, ...]], ...],
                    earlier: tuple[tuple[int, int, int], ...], total: int,
                    links: urls.Links) -> Content:
    """The archive: the days of ``years`` (newest first), then the ``earlier`` years (year,
    papers, days) as links to their pages; ``total`` papers in all."""
    out = Content()
    out.heading(1, "Archive")
    if not years and not earlier:
        out.add("<p>No days yet.</p>")
        return out
    day_count = sum(len(d) for _, d in years) + sum(n for _, _, n in earlier)
    out.add(f"<p>{total} paper{'s' if total != 1 else ''} over {day_count} days.</p>")
    for year, of_year in years:
        out.heading(2, str(year))
        out.add(f"<p>{_papers(of_year)} papers.</p>")
        _months(out, of_year, links, level=3)
    if earlier:
        out.heading(2, "Earlier years" if years else "Years")
        out.add("<ul>" + "".join(
            f'<li><a href="{links.to(urls.archive_uri(year))}">{year}</a> — '
            f"{_plural(papers, 'paper')} over {_plural(days, 'day')}</li>"
            for year, papers, days in earlier) + "</ul>")
    return out


def year_content(year: int, days: tuple[schema.Day, ...], links: urls.Links) -> Content:
    """The page of one year of the archive: its months and days."""
    out = Content()
    out.heading(1, f"Archive: {year}")
    out.add(f"<p>{_plural(_papers(days), 'paper')} over {_plural(len(days), 'day')}. "
            f'<a href="{links.to(urls.ARCHIVE_URI)}">All years</a></p>')
    _months(out, days, links, level=2)
    return out


def _months(out: Content, days: tuple[schema.Day, ...], links: urls.Links, level: int) -> None:
    """A year's months (headings at ``level``), each with its days and their paper counts."""
    for month, in_month in groupby(days, key=lambda d: month_of(d.date)):
        of_month = list(in_month)
        out.heading(level, f"{month_name(month)} — {_papers(tuple(of_month))} papers")
        items = []
        for meta in of_month:
            date = meta.date
            what = (f"{len(meta.papers)} paper{'s' if len(meta.papers) != 1 else ''}"
                    if meta.status == "announced" else "no announcement")
            items.append(f'<li><a href="{links.to(urls.day_uri(date))}">'
                         f"{date:%a} {date.day}</a> — {what}</li>")
        out.add(f"<ul>{''.join(items)}</ul>")
