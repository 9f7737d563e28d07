"""The archive page: year, month, day, with paper counts, newest first."""

from __future__ import annotations

from itertools import groupby

from . import urls
from .content import Content
from .index import PageIndex
from .tags import Listing, month_name, month_of


def listing(index: PageIndex) -> Listing:
    return Listing(urls.ARCHIVE_URI, "Archive", lambda links: archive_content(index, links))


def archive_content(index: PageIndex, links: urls.Links) -> Content:
    out = Content()
    out.heading(1, "Archive")
    if not index.dates:
        out.add("<p>No days yet.</p>")
        return out
    total = len(index.papers)
    out.add(f"<p>{total} paper{'s' if total != 1 else ''} over {len(index.dates)} days.</p>")
    newest_first = list(reversed(index.dates))
    for year, in_year in groupby(newest_first, key=lambda d: d.year):
        days_of_year = list(in_year)
        count = sum(len(index.days[d].meta.papers) for d in days_of_year)
        out.heading(2, str(year))
        out.add(f"<p>{count} papers.</p>")
        for month, in_month in groupby(days_of_year, key=month_of):
            days = list(in_month)
            papers = sum(len(index.days[d].meta.papers) for d in days)
            out.heading(3, f"{month_name(month)} — {papers} papers")
            items = []
            for date in days:
                meta = index.days[date].meta
                what = (f"{len(meta.papers)} paper{'s' if len(meta.papers) != 1 else ''}"
                        if meta.status == "announced" else "no announcement")
                items.append(f'<li><a href="{links.to(urls.day_uri(date))}">'
                             f"{date:%a} {date.day}</a> — {what}</li>\n")
            out.add(f"<ul>\n{''.join(items)}</ul>")
    return out
