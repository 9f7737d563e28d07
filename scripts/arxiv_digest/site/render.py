"""Markdown for paper pages, day pages and the paper entries that list pages share."""

from __future__ import annotations

import datetime as dt

from .. import schema
from . import names, urls
from .escape import fold, html_text, md_text

#: Authors shown before "et al." in lists; paper pages show them all.
SHORT_AUTHORS = 4


def long_date(date: dt.date) -> str:
    """``Monday, 27 April 2026``."""
    return f"{date:%A}, {date.day} {date:%B %Y}"


def authors_md(authors: list[str], *, short: bool) -> str:
    if not authors:
        return "Unknown authors"
    if short and len(authors) > SHORT_AUTHORS + 1:
        shown = ", ".join(md_text(a) for a in authors[:SHORT_AUTHORS])
        return f"{shown} et al. ({len(authors)} authors)"
    return ", ".join(md_text(a) for a in authors)


def tags_md(meta: schema.Paper, from_uri: str) -> str:
    """Category and topic chips linking their tag pages."""
    chips = [
        f'[{md_text(names.tag_name(tag))}]({urls.link(from_uri, urls.tag_uri(tag))}){{ .md-tag }}'
        for tag in dict.fromkeys([*meta.categories, *meta.topics])
    ]
    return " ".join(chips)


def summary_md(page: schema.PaperPage, indent: str = "") -> str:
    if not page.bullets:
        return f"{indent}*No summary yet.*\n"
    return "".join(f"{indent}- {md_text(bullet)}\n" for bullet in page.bullets)


def summary_label(page: schema.PaperPage) -> str:
    by = page.meta.summary.by
    if by in schema.READER_AUTHORS:
        return "Summary (by readers)"
    if page.reader_owned:
        return "Summary (edited by readers)"
    if by == schema.EXTRACTIVE:
        return "Summary (sentences picked from the abstract)"
    return f"Summary ({md_text(by)})"


def paper_entry(page: schema.PaperPage, from_uri: str, *, level: int = 3) -> str:
    """A paper as a day page or the home page lists it: linked title, authors, tags, summary."""
    meta = page.meta
    href = urls.link(from_uri, urls.paper_uri(meta.arxiv_id))
    return (
        f"{'#' * level} [{md_text(meta.title)}]({href})\n\n"
        f"{authors_md(meta.authors, short=True)} · "
        f"[arXiv:{meta.arxiv_id}]({meta.abs_url}) · [PDF]({meta.pdf_url})\n"
        "{ .digest-meta }\n\n"
        f"{tags_md(meta, from_uri)}\n\n"
        f'??? abstract "{summary_label(page)}"\n\n'
        f"{summary_md(page, indent='    ')}\n"
    )


def paper_line(page: schema.PaperPage, from_uri: str) -> str:
    """A one-line list item for tag pages: title link, short authors, day."""
    meta = page.meta
    href = urls.link(from_uri, urls.paper_uri(meta.arxiv_id))
    return (f"- [{md_text(meta.title)}]({href}) — {authors_md(meta.authors, short=True)} · "
            f"{meta.announced.isoformat()}\n")


def paper_page(page: schema.PaperPage, from_uri: str, has_day: bool) -> str:
    """The whole body of a paper page; the stored body only contributes its summary bullets."""
    meta = page.meta
    version = f"v{meta.version}" if meta.version else ""
    day = long_date(meta.announced)
    if has_day:
        day = f"[{day}]({urls.link(from_uri, urls.day_uri(meta.announced))})"
    parts = [
        f"# {md_text(meta.title)} {{ .digest-title }}\n",
        f"{authors_md(meta.authors, short=False)}\n{{ .digest-authors }}\n",
        f"[arXiv:{meta.arxiv_id}{version}]({meta.abs_url}) · [PDF]({meta.pdf_url}) · "
        f"announced {day}\n{{ .digest-meta }}\n",
        "## Summary\n",
    ]
    if page.reader_owned:
        parts.append("*Written or improved by readers.*\n{ .digest-provenance }\n")
    elif meta.summary.by == schema.EXTRACTIVE:
        parts.append('!!! note "Picked from the abstract"\n\n'
                     "    No model wrote this summary yet: these are sentences of the abstract. "
                     "A better one is welcome; use the edit button at the top of this page.\n")
    else:
        parts.append(f"*Written by {md_text(meta.summary.by)}; corrections welcome.*\n"
                     "{ .digest-provenance }\n")
    parts.append(summary_md(page))
    if meta.abstract:
        parts.append(f"## Abstract\n\n{md_text(meta.abstract)}\n")
    if meta.comment:
        parts.append(f"## Comment\n\n{md_text(meta.comment)}\n")
    return "\n".join(parts)


def day_page(day: schema.DayPage, index_papers: list[schema.PaperPage], from_uri: str,
             neighbours: tuple[dt.date | None, dt.date | None]) -> str:
    """The body of a day page: notes, the hand-written intro, then its papers in listing order."""
    meta = day.meta
    parts = [f"# {long_date(meta.date)}\n"]
    if meta.status == "no-announcement":
        parts.append('!!! info "No new papers on arXiv"\n\n'
                     "    arXiv made no announcement on this date (a weekend or a holiday).\n")
    if meta.backfilled:
        parts.append('!!! warning "Back-filled"\n\n'
                     "    This day was filled in later from the arXiv API; papers arXiv held "
                     "back at the time may be missing.\n")
    if meta.incomplete:
        parts.append('!!! warning "Incomplete"\n\n'
                     "    arXiv cut a listing at 2,000 entries; some papers of this day are "
                     "missing.\n")
    if day.intro:
        parts.append(day.intro + "\n")
    if meta.status == "announced":
        count = len(index_papers)
        parts.append(f"{count} paper{'s' if count != 1 else ''} on efficient deep learning.\n"
                     if count else "No paper of this day matched the digest's topics.\n")
    parts.extend(paper_entry(page, from_uri) for page in index_papers)
    parts.append(_day_links(from_uri, neighbours))
    return "\n".join(parts)


def _day_links(from_uri: str, neighbours: tuple[dt.date | None, dt.date | None]) -> str:
    before, after = neighbours
    links = []
    if before:
        links.append(f"[← {before.isoformat()}]({urls.link(from_uri, urls.day_uri(before))})")
    links.append(f"[Archive]({urls.link(from_uri, urls.ARCHIVE_URI)})")
    if after:
        links.append(f"[{after.isoformat()} →]({urls.link(from_uri, urls.day_uri(after))})")
    return "---\n\n" + " · ".join(links) + "\n{ .digest-daynav }\n"


def description(meta: schema.Paper) -> str:
    """The meta description of a paper page: the start of the abstract, HTML-escaped."""
    text = fold(meta.abstract or meta.title)
    if len(text) > 300:
        text = text[:297].rsplit(" ", 1)[0] + "…"
    return html_text(text)
