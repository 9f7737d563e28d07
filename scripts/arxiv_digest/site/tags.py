"""Tag pages: one per arXiv category and per topic, newest months first, older months apart."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from mkdocs.utils import get_relative_url

from ..pages import schema
from . import feeds, names, urls
from .content import Content
from .escape import html_text, rich_html
from .index import PageIndex
from .render import short_date

#: A tag's own page lists whole months, newest first, until it holds at least this many papers;
#: older months are linked (each month has its own page), so no page grows without bound.
TAG_PAGE_PAPERS = 100
#: Most papers (or days) one list page holds: a month with more is split into numbered pages,
#: and a tag's page shows no month that would take it past this (Settings.list_page_items).
LIST_PAGE_ITEMS = 400


@dataclass(frozen=True)
class Listing:
    """A generated list page: where it lives, its title (text), and what writes its content."""

    uri: str
    title: str
    write: Callable[..., Content]
    """Called with ``args`` and the page's ``urls.Links``."""
    args: tuple[Any, ...]
    """What the content is made from: equal arguments (the same paper pages), equal content."""
    feed_tag: str | None = None
    """The tag whose feeds the page links in its head (a tag's page and its months' pages)."""

    def content(self, links: urls.Links) -> Content:
        return self.write(*self.args, links)


def month_of(date: dt.date) -> str:
    return date.strftime("%Y-%m")


def _month(page: schema.PaperPage) -> str:
    return month_of(page.meta.announced)


def month_name(month: str) -> str:
    year, number = month.split("-")
    months = ["January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December"]
    return f"{months[int(number) - 1]} {year}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


def _link(href: str, text: str) -> str:
    return f'<a href="{href}">{text}</a>'


def generate(index: PageIndex, page_items: int = LIST_PAGE_ITEMS) -> Iterator[Listing]:
    """The tags index, each tag's page and the pages of its older months (split into pages of
    at most ``page_items`` papers); raises ValueError when two tags would share a page."""
    by_tag = index.papers_by_tag()
    topics = {t for page in index.papers.values() for t in page.meta.topics}
    seen: dict[str, str] = {}
    for tag in by_tag:
        slug = urls.tag_slug(tag)
        if seen.setdefault(slug, tag) != tag:
            # Two tags may not share a page; rename the topic in filter/rules.toml.
            raise ValueError(f"tags {seen[slug]!r} and {tag!r} share the page tags/{slug}/")
    counts = {tag: len(pages) for tag, pages in by_tag.items()}
    yield Listing(urls.TAGS_INDEX_URI, "Tags", _tags_index, (counts, topics))
    for tag, pages in by_tag.items():
        months = [(m, list(group)) for m, group in groupby(pages, key=_month)]
        shown = _shown_months(months, page_items)
        yield Listing(urls.tag_uri(tag), names.tag_title(tag), _tag_page,
                      (tag, months[:shown], [(m, len(group)) for m, group in months[shown:]]),
                      feed_tag=tag)
        # Only months that the tag's page does not show get a page of their own: most tags
        # fit on one page, and a month keeps its page once it has one (months only get older).
        for position in range(shown, len(months)):
            month, group = months[position]
            older = months[position + 1][0] if position + 1 < len(months) else None
            newer = months[position - 1][0] if position > shown else None
            parts = [group[at:at + page_items] for at in range(0, len(group), page_items)]
            for number, part in enumerate(parts, 1):
                title = f"{names.tag_title(tag)}: {month_name(month)}"
                if number > 1:
                    title += f", page {number}"
                yield Listing(urls.tag_uri(tag, month, number), title, _month_page,
                              (tag, month, part, older, newer, (number, len(parts), len(group))),
                              feed_tag=tag)


def _shown_months(months: list[tuple[str, list[schema.PaperPage]]], page_items: int) -> int:
    """How many of the newest months the tag's own page lists in full (none that would take it
    past ``page_items`` papers: a busy tag's page then links its months only)."""
    shown = 0
    for count, (_, group) in enumerate(months):
        if shown >= TAG_PAGE_PAPERS or shown + len(group) > page_items:
            return count
        shown += len(group)
    return len(months)


#: Each feed's file extension, media type and name.
_FEED_KINDS = (
    (".xml", "application/atom+xml", "Atom"),
    (".json", "application/feed+json", "JSON Feed"),
)


def feed_links(tag: str, page_url: str) -> str:
    """``<link rel="alternate">`` elements of the tag's feeds, for the page at ``page_url``."""
    path = feeds.tag_feed_path(tag)
    title = html_text(names.tag_title(tag))
    return "".join(
        f'<link rel="alternate" type="{kind}" title="{title} ({label})" '
        f'href="{get_relative_url(path + ext, page_url)}">'
        for ext, kind, label in _FEED_KINDS)


def _feed_hrefs(path: str, links: urls.Links) -> str:
    """Links to the feeds at ``path`` (no extension) from the page ``links`` are on."""
    here = urls.page_url(links.from_uri, links.directory_urls)
    return " · ".join(_link(get_relative_url(path + ext, here), label)
                      for ext, _, label in _FEED_KINDS)


def _tags_index(counts: dict[str, int], topics: set[str], links: urls.Links) -> Content:
    """Every tag with its number of papers and its feeds: topics, most papers first, then
    categories."""
    def items(tags: list[str]) -> str:
        return "<ul>" + "".join(
            f"<li>{_link(links.to(urls.tag_uri(tag)), rich_html(names.tag_title(tag)))}"
            f" — {counts[tag]} ({_feed_hrefs(feeds.tag_feed_path(tag), links)})</li>"
            for tag in tags) + "</ul>"

    out = Content()
    out.heading(1, "Tags")
    out.add("<p>Every paper is tagged with its arXiv categories and the efficiency topics the "
            "relevance filter found in it.</p>")
    out.add(f"<p>Feeds of the last {feeds.FEED_DAYS} announcement days: the whole site "
            f"({_feed_hrefs(feeds.SITE_FEED, links)}), and each tag's papers among them "
            "(below).</p>")
    topic_list = sorted((t for t in counts if t in topics), key=lambda t: -counts[t])
    categories = sorted(t for t in counts if t not in topics)
    for heading, tags in (("Topics", topic_list), ("arXiv categories", categories)):
        if tags:
            out.heading(2, heading)
            out.add(items(tags))
    if not counts:
        out.add("<p>No papers yet.</p>")
    return out


def _paper_list(group: list[schema.PaperPage], links: urls.Links) -> str:
    """A month's papers (newest first) as one HTML list of their days, each day the list of its
    papers' titles: a line per paper repeats neither its date nor its authors, which a reader
    following a topic finds on the paper's page."""
    days = []
    for date, of_day in groupby(group, key=lambda page: page.meta.announced):
        lines = "".join(f'<li><a href="{links.to(urls.paper_uri(page.meta.arxiv_id))}">'
                        f"{rich_html(page.meta.title)}</a></li>" for page in of_day)
        days.append(f"<li>{short_date(date)}<ul>{lines}</ul></li>\n")
    return f"<ul>{''.join(days)}</ul>"


def _tag_page(tag: str, shown: list[tuple[str, list[schema.PaperPage]]],
              rest: list[tuple[str, int]], links: urls.Links) -> Content:
    """A tag's page: the papers of its ``shown`` months, then links to the ``rest`` (with their
    paper counts)."""
    total = sum(len(group) for _, group in shown) + sum(count for _, count in rest)
    out = Content()
    out.heading(1, rich_html(names.tag_title(tag)))
    out.add(f"<p>{_plural(total, 'paper')}, newest first.</p>")
    for month, group in shown:
        out.heading(2, month_name(month))
        out.add(_paper_list(group, links))
    if rest:
        out.heading(2, "Earlier months" if shown else "Months")
        out.add("<ul>" + "".join(
            f"<li>{_link(links.to(urls.tag_uri(tag, month)), month_name(month))} — "
            f"{count}</li>" for month, count in rest) + "</ul>")
    out.add(f"<p>{_link(links.to(urls.TAGS_INDEX_URI), 'All tags')}</p>")
    return out


def _month_page(tag: str, month: str, group: list[schema.PaperPage], older: str | None,
                newer: str | None, part: tuple[int, int, int], links: urls.Links) -> Content:
    """A month of a tag, or page ``number`` of its ``pages`` (``part``: number, pages, papers
    of the month)."""
    number, pages, total = part
    title = rich_html(names.tag_title(tag))
    out = Content()
    out.heading(1, f"{title}: {month_name(month)}" + (f", page {number}" if number > 1 else ""))
    if pages == 1:
        out.add(f"<p>{_plural(total, 'paper')}.</p>", _paper_list(group, links))
    else:
        pager = _pager(tag, month, number, pages, links)
        out.add(f"<p>{_plural(total, 'paper')}; page {number} of {pages}.</p>", pager,
                _paper_list(group, links), pager)
    items = []
    # The newest month with a page of its own follows the months the tag's page shows.
    if newer:
        items.append(_link(links.to(urls.tag_uri(tag, newer)), f"← {month_name(newer)}"))
    items.append(_link(links.to(urls.tag_uri(tag)), title))
    if older:
        items.append(_link(links.to(urls.tag_uri(tag, older)), f"{month_name(older)} →"))
    out.add(f"<p>{' · '.join(items)}</p>")
    return out


def _pager(tag: str, month: str, number: int, pages: int, links: urls.Links) -> str:
    """Links to the previous and next pages of a month split into ``pages``."""
    items = []
    if number > 1:
        items.append(_link(links.to(urls.tag_uri(tag, month, number - 1)),
                           f"← page {number - 1}"))
    items.append(f"page {number} of {pages}")
    if number < pages:
        items.append(_link(links.to(urls.tag_uri(tag, month, number + 1)),
                           f"page {number + 1} →"))
    return f'<p class="digest-pager">{" · ".join(items)}</p>'
