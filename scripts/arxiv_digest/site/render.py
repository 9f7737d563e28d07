"""Paper pages, day pages and the paper entries that list pages share: Markdown headings, HTML
bodies (``blocks``)."""

from __future__ import annotations

import datetime as dt
import html

from ..pages import schema
from . import blocks, names, urls
from .escape import fold, html_text, md_text, rich_html

#: Authors shown before "et al." in lists; paper pages show them all.
SHORT_AUTHORS = 4


def long_date(date: dt.date) -> str:
    """``Monday, 27 April 2026``."""
    return f"{date:%A}, {date.day} {date:%B %Y}"


def authors_html(authors: list[str], *, short: bool) -> str:
    """The authors as HTML, ``et al.`` after a few when ``short``."""
    if not authors:
        return "Unknown authors"
    if short and len(authors) > SHORT_AUTHORS + 1:
        shown = ", ".join(rich_html(a) for a in authors[:SHORT_AUTHORS])
        return f"{shown} et al. ({len(authors)} authors)"
    return ", ".join(rich_html(a) for a in authors)


def tags_html(meta: schema.Paper, from_uri: str) -> str:
    """Category and topic chips linking their tag pages."""
    return " ".join(
        f'<a class="md-tag" href="{urls.href(from_uri, urls.tag_uri(tag))}">'
        f"{rich_html(names.tag_name(tag))}</a>"
        for tag in dict.fromkeys([*meta.categories, *meta.topics])
    )


def summary_html(page: schema.PaperPage) -> str:
    if not page.bullets:
        return "<p><em>No summary yet.</em></p>"
    items = "".join(f"<li>{rich_html(bullet)}</li>\n" for bullet in page.bullets)
    return f"<ul>\n{items}</ul>"


def summary_label(page: schema.PaperPage) -> str:
    """The label of a summary's collapsible block, as HTML."""
    by = page.meta.summary.by
    if by in schema.READER_AUTHORS:
        return "Summary (by readers)"
    if page.reader_owned:
        return "Summary (edited by readers)"
    if by == schema.EXTRACTIVE:
        return "Summary (sentences picked from the abstract)"
    return f"Summary ({rich_html(by)})"


def _link(href: str, text: str) -> str:
    return f'<a href="{html.escape(href)}">{text}</a>'


def paper_entry(page: schema.PaperPage, from_uri: str, *, level: int = 3) -> str:
    """A paper as a day page or the home page lists it: linked title, authors, tags, summary.

    The heading stays Markdown (table of contents, permalink); the rest is one block of HTML.
    """
    meta = page.meta
    href = urls.link(from_uri, urls.paper_uri(meta.arxiv_id))
    parts = [
        f'<p class="digest-meta">{authors_html(meta.authors, short=True)} · '
        f"{_link(meta.abs_url, f'arXiv:{meta.arxiv_id}')} · {_link(meta.pdf_url, 'PDF')}</p>\n"
    ]
    chips = tags_html(meta, from_uri)
    if chips:
        parts.append(f"<p>{chips}</p>\n")
    parts.append(f'<details class="abstract">\n<summary>{summary_label(page)}</summary>\n'
                 f"{summary_html(page)}\n</details>")
    return f"{'#' * level} [{md_text(meta.title)}]({href})\n\n{blocks.block(''.join(parts))}\n\n"


def paper_line(page: schema.PaperPage, from_uri: str) -> str:
    """A list item for tag pages, as HTML: title link, short authors, day."""
    href = urls.href(from_uri, urls.paper_uri(page.meta.arxiv_id))
    return f'<li><a href="{href}">{paper_line_tail(page)}'


def paper_line_tail(page: schema.PaperPage) -> str:
    """What follows the link's opening tag in ``paper_line``: the same on every page."""
    meta = page.meta
    return (f"{rich_html(meta.title)}</a> — "
            f"{authors_html(meta.authors, short=True)} · {meta.announced.isoformat()}</li>\n")


def paper_page(page: schema.PaperPage, from_uri: str, has_day: bool) -> str:
    """The whole body of a paper page; the stored body only contributes its summary bullets.

    Headings are Markdown (table of contents, permalinks, search sections); what they head is
    HTML. The title's ``digest-title`` class is added to the built page by hooks/papers.py.
    """
    meta = page.meta
    version = f"v{meta.version}" if meta.version else ""
    day = long_date(meta.announced)
    if has_day:
        day = _link(urls.href(from_uri, urls.day_uri(meta.announced)), day)
    head = (f'<p class="digest-authors">{authors_html(meta.authors, short=False)}</p>\n'
            f'<p class="digest-meta">{_link(meta.abs_url, f"arXiv:{meta.arxiv_id}{version}")} · '
            f"{_link(meta.pdf_url, 'PDF')} · announced {day}</p>")
    parts = [f"# {md_text(meta.title)}\n", f"{blocks.block(head)}\n", "## Summary\n"]
    summary = summary_html(page)
    if page.reader_owned:
        summary = ('<p class="digest-provenance"><em>Written or improved by readers.</em></p>\n'
                   + summary)
    elif meta.summary.by == schema.EXTRACTIVE:
        parts.append('!!! note "Picked from the abstract"\n\n'
                     "    No model wrote this summary yet: these are sentences of the abstract. "
                     "A better one is welcome; use the edit button at the top of this page.\n")
    else:
        summary = (f'<p class="digest-provenance"><em>Written by {rich_html(meta.summary.by)}; '
                   f"corrections welcome.</em></p>\n{summary}")
    parts.append(f"{blocks.block(summary)}\n")
    if meta.abstract:
        parts.append(f"## Abstract\n\n{blocks.block(f'<p>{rich_html(meta.abstract)}</p>')}\n")
    if meta.comment:
        parts.append(f"## Comment\n\n{blocks.block(f'<p>{rich_html(meta.comment)}</p>')}\n")
    return "\n".join(parts)


def day_page(day: schema.DayPage, index_papers: list[schema.PaperPage], from_uri: str,
             neighbours: tuple[dt.date | None, dt.date | None]) -> str:
    """The body of a day page: notes, the hand-written intro, then its papers in listing order."""
    head, entries, tail = day_sections(day, index_papers, from_uri, neighbours)
    return "\n".join([head, *entries, tail])


def day_sections(day: schema.DayPage, index_papers: list[schema.PaperPage], from_uri: str,
                 neighbours: tuple[dt.date | None, dt.date | None]) -> tuple[str, list[str], str]:
    """``day_page`` in three parts: the heading, notes, intro and count; one ``paper_entry`` per
    paper; the links to the neighbouring days. The page is the parts joined by line breaks."""
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
    entries = [paper_entry(page, from_uri) for page in index_papers]
    return "\n".join(parts), entries, _day_links(from_uri, neighbours)


def _day_links(from_uri: str, neighbours: tuple[dt.date | None, dt.date | None]) -> str:
    before, after = neighbours
    links = []
    if before:
        links.append(_link(urls.href(from_uri, urls.day_uri(before)), f"← {before.isoformat()}"))
    links.append(_link(urls.href(from_uri, urls.ARCHIVE_URI), "Archive"))
    if after:
        links.append(_link(urls.href(from_uri, urls.day_uri(after)), f"{after.isoformat()} →"))
    return blocks.block('<hr />\n<p class="digest-daynav">' + " · ".join(links) + "</p>") + "\n"


def description(meta: schema.Paper) -> str:
    """The meta description of a paper page: the start of the abstract, HTML-escaped."""
    source = meta.abstract or meta.title
    # Folding a start of the text gives the start of the folded text: fold only what is shown.
    text = fold(source[:1200])
    if len(text) <= 300 and len(source) > 1200:
        text = fold(source)
    if len(text) > 300:
        text = text[:297].rsplit(" ", 1)[0] + "…"
    return html_text(text)
