"""The archive page: year, month, day, with paper counts, newest first."""

from __future__ import annotations

from itertools import groupby

from ..pages import schema
from . import urls
from .content import Content
from .index import PageIndex
from .tags import Listing, month_name, month_of


def listing(index: PageIndex) -> Listing:
    days = tuple(index.days[date].meta for date in reversed(index.dates))
    return Listing(urls.ARCHIVE_URI, "Archive", archive_content, (days, len(index.papers)))


def archive_content(days: tuple[schema.Day, ...], total: int, links: urls.Links) -> Content:
    """The archive of ``days`` (newest first) holding ``total`` papers."""
    out = Content()
    out.heading(1, "Archive")
    if not days:
        out.add("<p>No days yet.</p>")
        return out
    out.add(f"<p>{total} paper{'s' if total != 1 else ''} over {len(days)} days.</p>")
    for year, in_year in groupby(days, key=lambda d: d.date.year):
        days_of_year = list(in_year)
        count = sum(len(d.papers) for d in days_of_year)
        out.heading(2, str(year))
        out.add(f"<p>{count} papers.</p>")
        for month, in_month in groupby(days_of_year, key=lambda d: month_of(d.date)):
            of_month = list(in_month)
            papers = sum(len(d.papers) for d in of_month)
            out.heading(3, f"{month_name(month)} — {papers} papers")
            items = []
            for meta in of_month:
                date = meta.date
                what = (f"{len(meta.papers)} paper{'s' if len(meta.papers) != 1 else ''}"
                        if meta.status == "announced" else "no announcement")
                items.append(f'<li><a href="{links.to(urls.day_uri(date))}">'
                             f"{date:%a} {date.day}</a> — {what}</li>\n")
            out.add(f"<ul>\n{''.join(items)}</ul>")
    return out
