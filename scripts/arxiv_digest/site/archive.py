"""The archive page: year, month, day, with paper counts, newest first."""

from __future__ import annotations

from itertools import groupby

from . import urls
from .index import PageIndex
from .tags import front_matter, month_name


def archive_page(index: PageIndex) -> str:
    from_uri = urls.ARCHIVE_URI
    parts = [front_matter("Archive"), "# Archive\n\n"]
    if not index.dates:
        return "".join([*parts, "No days yet.\n"])
    total = len(index.papers)
    parts.append(f"{total} paper{'s' if total != 1 else ''} over {len(index.dates)} days.\n\n")
    newest_first = list(reversed(index.dates))
    for year, in_year in groupby(newest_first, key=lambda d: d.year):
        days_of_year = list(in_year)
        count = sum(len(index.days[d].meta.papers) for d in days_of_year)
        parts.append(f"## {year}\n\n{count} papers.\n\n")
        for month, in_month in groupby(days_of_year, key=lambda d: d.strftime("%Y-%m")):
            days = list(in_month)
            papers = sum(len(index.days[d].meta.papers) for d in days)
            parts.append(f"### {month_name(month)} — {papers} papers\n\n")
            for date in days:
                meta = index.days[date].meta
                href = urls.link(from_uri, urls.day_uri(date))
                what = (f"{len(meta.papers)} paper{'s' if len(meta.papers) != 1 else ''}"
                        if meta.status == "announced" else "no announcement")
                parts.append(f"- [{date:%a} {date.day}]({href}) — {what}\n")
            parts.append("\n")
    return "".join(parts)
