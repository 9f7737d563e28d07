"""Paper pages, day pages and the paper entries that list pages share, as HTML."""

from __future__ import annotations

import datetime as dt
import html

from ..pages import schema
from . import cite, names, provenance, urls
from .content import Content, admonition
from .escape import md_text, rich_html

#: Authors shown before "et al." in lists; paper pages show them all.
SHORT_AUTHORS = 4


def long_date(date: dt.date) -> str:
    """``Monday, 27 April 2026``."""
    return f"{date:%A}, {date.day} {date:%B %Y}"


def short_date(date: dt.date) -> str:
    """``Friday, 24 April``: a neighbouring day, whose year the page already says."""
    return f"{date:%A}, {date.day} {date:%B}"


def count_html(count: int) -> str:
    """How many papers a day has, as one paragraph."""
    if not count:
        return '<p class="digest-count">No paper of this day matched the digest\'s topics.</p>'
    return (f'<p class="digest-count">{count} paper{"s" if count != 1 else ""} '
            "on efficient deep learning.</p>")


def authors_html(authors: list[str], *, short: bool) -> str:
    """The authors as HTML, ``et al.`` after a few when ``short``."""
    if not authors:
        return "Unknown authors"
    if short and len(authors) > SHORT_AUTHORS + 1:
        shown = ", ".join(rich_html(a) for a in authors[:SHORT_AUTHORS])
        return f"{shown} et al. ({len(authors)} authors)"
    return ", ".join(rich_html(a) for a in authors)


def paper_tags(meta: schema.Paper) -> list[str]:
    """A paper's tags: its categories, then its topics, each once."""
    return list(dict.fromkeys([*meta.categories, *meta.topics]))


def tags_html(meta: schema.Paper, links: urls.Links) -> str:
    """Category and topic chips linking their tag pages: plain links, drawn as chips by the
    class of the paragraph holding them (``digest-tags``, digest.css), not by a class on each."""
    return " ".join(
        f'<a href="{links.to(urls.tag_uri(tag))}">{rich_html(names.tag_name(tag))}</a>'
        for tag in paper_tags(meta)
    )


def summary_html(page: schema.PaperPage) -> str:
    if not page.bullets:
        return "<p><em>No summary yet.</em></p>"
    items = "".join(f"<li>{rich_html(bullet)}</li>\n" for bullet in page.bullets)
    return f"<ul>\n{items}</ul>"


def summary_source(page: schema.PaperPage) -> str:
    """Who or what wrote a summary, as HTML: ``gpt-4o-mini``, ``by readers`` ..."""
    by = page.meta.summary.by
    if by in schema.READER_AUTHORS:
        return "by readers"
    if page.reader_owned:
        return "edited by readers"
    if by == schema.EXTRACTIVE:
        return "sentences picked from the abstract"
    return rich_html(by)


def summary_label(page: schema.PaperPage) -> str:
    """The label over a listed paper's summary, as HTML."""
    return f"Summary ({summary_source(page)})"


def shared_summary_label(papers: list[schema.PaperPage]) -> str | None:
    """``Summaries (gpt-4o-mini)`` when two or more papers' summaries all come from one source:
    a list says it once over its papers rather than over each (~50 bytes a paper)."""
    sources = {summary_source(page) for page in papers}
    if len(papers) < 2 or len(sources) != 1:
        return None
    return f"Summaries ({sources.pop()})"


def _link(href: str, text: str) -> str:
    return f'<a href="{html.escape(href)}">{text}</a>'


def entry_html(page: schema.PaperPage, links: urls.Links, *, label: bool = True) -> str:
    """What follows a paper's heading where a day page or the home page lists it: authors,
    links, tags and the summary, shown (these pages are read by skimming the summaries), under
    a label naming who wrote it unless the list says it once (``label`` false)."""
    meta = page.meta
    # The first link of the line: daykeys.js opens it on "o".
    abs_link = _link(meta.abs_url, f"arXiv:{meta.arxiv_id}")
    parts = [
        f'<p class="digest-meta">{authors_html(meta.authors, short=True)} · '
        f"{abs_link} · {_link(meta.pdf_url, 'PDF')}</p>\n"
    ]
    chips = tags_html(meta, links)
    if chips:
        parts.append(f'<p class="digest-tags">{chips}</p>\n')
    named = f'<p class="digest-label">{summary_label(page)}</p>\n' if label else ""
    parts.append(f'<div class="digest-summary">\n{named}{summary_html(page)}\n</div>')
    return "".join(parts)


def entry_markdown(page: schema.PaperPage, links: urls.Links, *, level: int = 3) -> str:
    """A paper's entry in a hand-written page: a Markdown heading, then ``entry_html``."""
    title = f"[{md_text(page.meta.title)}]({links.md(urls.paper_uri(page.meta.arxiv_id))})"
    return f"{'#' * level} {title}\n\n{entry_html(page, links)}\n\n"


def paper_content(page: schema.PaperPage, links: urls.Links, *, has_day: bool) -> Content:
    """A paper page: title, authors, links, summary with its provenance, abstract, comment, and
    how to cite it. palette.js writes what works only with JavaScript or repeats what the page
    already says (its edit button, the history link, the BibTeX entry and the copy-link button:
    ``__digest_paper``).

    No permalinks: the page's URL is the paper's permalink.
    """
    meta = page.meta
    out = Content(permalinks=False)
    version = f"v{meta.version}" if meta.version else ""
    day = long_date(meta.announced)
    if has_day:
        day = _link(links.to(urls.day_uri(meta.announced)), day)
    out.heading(1, rich_html(meta.title), ' class="digest-title"')
    out.add(f'<p class="digest-authors">{authors_html(meta.authors, short=False)}</p>\n'
            f'<p class="digest-meta">{_link(meta.abs_url, f"arXiv:{meta.arxiv_id}{version}")} · '
            f"{_link(meta.pdf_url, 'PDF')} · announced {day}</p>")
    out.heading(2, "Summary")
    notice = provenance.version_notice_html(meta)
    if notice:
        out.add(notice)
    if meta.summary.by == schema.EXTRACTIVE and not page.reader_owned:
        # One line, not a boxed note: the provenance line below says where the sentences come
        # from, and the page's edit button is where a better summary starts.
        out.add('<p class="digest-picked">Picked from the abstract: a better summary is '
                "welcome (edit button, top right).</p>")
    # Who wrote the summary, when, from what, and its history: one quiet line under it.
    out.add(summary_html(page) + "\n" + provenance.provenance_html(meta))
    for heading, text in (("Abstract", meta.abstract), ("Comment", meta.comment)):
        if text:
            out.heading(2, heading)
            out.add(f"<p>{rich_html(text)}</p>")
    out.heading(2, "Cite")
    out.add(cite.cite_html(meta))
    return out


def day_content(day: schema.DayPage, papers: list[schema.PaperPage], links: urls.Links,
                neighbours: tuple[dt.date | None, dt.date | None],
                intro: Content | None = None) -> Content:
    """A day page: the paper count and the neighbouring announcement days, notes, the
    hand-written ``intro`` (converted by MkDocs), then its papers in listing order and the
    neighbours again. No permalinks: a paper's heading links to the paper's page."""
    meta = day.meta
    out = Content(permalinks=False)
    out.heading(1, long_date(meta.date))
    nav = _day_links(links, neighbours)
    if meta.status == "announced":
        out.add(count_html(len(papers)))
    out.add(nav)
    if meta.status == "no-announcement":
        out.add(admonition("info", "No new papers on arXiv",
                           "arXiv made no announcement on this date (a weekend or a holiday)."
                           + _next_day(links, neighbours[1])))
    if meta.backfilled:
        out.add(admonition("warning", "Back-filled",
                           "This day was filled in later from the arXiv API; papers arXiv held "
                           "back at the time may be missing."))
    if meta.incomplete:
        out.add(admonition("warning", "Incomplete",
                           "arXiv cut a listing at 2,000 entries; some papers of this day are "
                           "missing."))
    if intro is not None:
        out.add(intro.html)
        out.tokens += intro.tokens
        out.ids |= intro.ids
    if papers:
        out.add(VIEW_TOGGLE, '<div class="digest-papers">')
    shared = shared_summary_label(papers)
    if shared:
        out.add(f'<p class="digest-label digest-label--all">{shared}</p>')
    for page in papers:
        href = links.to(urls.paper_uri(page.meta.arxiv_id))
        # h2 under the day's h1 (the home page nests the same entry as h3 under the day's h2).
        # Its table of contents entry is written by palette.js (TOC_SCRIPT), not here.
        out.heading(2, _link(href, rich_html(page.meta.title)), ' class="digest-entry"',
                    toc=False)
        out.add(entry_html(page, links, label=shared is None))
    if papers:  # a short page needs its links once
        out.add("</div>", TOC_SCRIPT, "<hr />\n" + nav)
    return out


#: Switches a day's papers between summaries and a compact list of titles with their tags
#: (``dayview.js``, which shows the button: without script the page keeps the full view).
VIEW_TOGGLE = ('<p class="digest-viewbar"><button type="button" class="digest-viewtoggle" '
               'aria-pressed="false">Compact list</button></p>')


#: Lists a day's papers in the table of contents (the secondary sidebar), from their headings,
#: in the markup Material's bundle binds to: the title of each paper is not written twice into
#: the page (~0.2 KB a paper). An inline script runs as the page is parsed, before Material's
#: deferred bundle looks for the list. Without script the sidebar stays empty; the headings
#: are the page's own list of its papers.
TOC_SCRIPT = "<script>__digest_toc()</script>"


def _next_day(links: urls.Links, after: dt.date | None) -> str:
    if after is None:
        return " The next announcement day is not here yet."
    return (" The next announcement day is "
            + _link(links.to(urls.day_uri(after)), long_date(after)) + ".")


def _day_links(links: urls.Links, neighbours: tuple[dt.date | None, dt.date | None]) -> str:
    """Links to the previous and next announcement days, named by weekday, and the archive."""
    before, after = neighbours
    items = []
    if before:
        items.append(_link(links.to(urls.day_uri(before)), f"← {short_date(before)}"))
    items.append(_link(links.to(urls.ARCHIVE_URI), "Archive"))
    if after:
        items.append(_link(links.to(urls.day_uri(after)), f"{short_date(after)} →"))
    return '<p class="digest-daynav">' + " · ".join(items) + "</p>"
