"""Tag pages: one per arXiv category and per topic, newest months first, older months apart."""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Iterator
from itertools import groupby

from ..pages import schema
from . import blocks, names, urls
from .escape import html_text, md_text
from .index import PageIndex
from .render import paper_line_tail

# The paper lists of the last generation: (page, directory URLs) -> (its papers, the list's
# HTML). A new generation (a `mkdocs serve` rebuild after a title or an author changed) makes
# again only the lists that hold a changed paper; the page index hands back the same object
# for a page whose file did not change, so comparing the papers is comparing references.
_lists: dict[tuple[str, bool], tuple[tuple[schema.PaperPage, ...], str]] = {}

#: A tag's own page lists whole months, newest first, until it holds at least this many papers;
#: older months are linked (each month has its own page), so no page grows without bound.
TAG_PAGE_PAPERS = 100


def front_matter(title: str) -> str:
    """Front matter of a generated list page: out of the search index, and a title that the
    theme may print unescaped (``<title>``, header) given as HTML-escaped text."""
    return f"---\ntitle: {json.dumps(html_text(title))}\nsearch:\n  exclude: true\n---\n\n"


def _month(page: schema.PaperPage) -> str:
    return _month_of(page.meta.announced)


@functools.lru_cache(maxsize=4096)
def _month_of(date: dt.date) -> str:
    return date.strftime("%Y-%m")


def month_name(month: str) -> str:
    year, number = month.split("-")
    months = ["January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December"]
    return f"{months[int(number) - 1]} {year}"


def generate(index: PageIndex, into: dict[str, str] | None = None) -> Iterator[tuple[str, str]]:
    """Yield ``(src_uri, markdown)`` for the tags index, each tag's page and its older months.

    The paper lists are HTML blocks (``blocks.block``), kept ``into`` the given dict.
    """
    into = {} if into is None else into
    items = _Items()
    by_tag = index.papers_by_tag()
    topics = {t for page in index.papers.values() for t in page.meta.topics}
    seen: dict[str, str] = {}
    for tag in by_tag:
        slug = urls.tag_slug(tag)
        if seen.setdefault(slug, tag) != tag:
            # Two tags may not share a page; rename the topic in filter/rules.toml.
            raise ValueError(f"tags {seen[slug]!r} and {tag!r} share the page tags/{slug}/")
    yield urls.TAGS_INDEX_URI, _tags_index(by_tag, topics)
    for tag, pages in by_tag.items():
        months = [(m, list(group)) for m, group in groupby(pages, key=_month)]
        shown = _shown_months(months)
        yield urls.tag_uri(tag), _tag_page(tag, months[:shown], months[shown:], into, items)
        # Only months that the tag's page does not show get a page of their own: most tags
        # fit on one page, and a month keeps its page once it has one (months only get older).
        for position in range(shown, len(months)):
            month, group = months[position]
            older = months[position + 1][0] if position + 1 < len(months) else None
            newer = months[position - 1][0] if position > shown else None
            yield urls.tag_uri(tag, month), _month_page(tag, month, group, older, newer, into,
                                                        items)
    items.keep()


def _shown_months(months: list[tuple[str, list[schema.PaperPage]]]) -> int:
    """How many of the newest months the tag's own page lists in full."""
    shown = 0
    for count, (_, group) in enumerate(months):
        if shown >= TAG_PAGE_PAPERS:
            return count
        shown += len(group)
    return len(months)


def _tags_index(by_tag: dict[str, list[schema.PaperPage]], topics: set[str]) -> str:
    from_uri = urls.TAGS_INDEX_URI

    def item(tag: str) -> str:
        href = urls.link(from_uri, urls.tag_uri(tag))
        return f"- [{md_text(names.tag_title(tag))}]({href}) — {len(by_tag[tag])}\n"

    categories = sorted(t for t in by_tag if t not in topics)
    topic_list = sorted((t for t in by_tag if t in topics), key=lambda t: -len(by_tag[t]))
    parts = [front_matter("Tags"), "# Tags\n\n",
             "Every paper is tagged with its arXiv categories and the efficiency topics the "
             "relevance filter found in it.\n\n"]
    parts += ["## Topics\n\n", *map(item, topic_list), "\n"] if topic_list else []
    parts += ["## arXiv categories\n\n", *map(item, categories), "\n"] if categories else []
    if not by_tag:
        parts.append("No papers yet.\n")
    return "".join(parts)


class _Items:
    """The paper lists of one generation, reusing the last generation's."""

    def __init__(self) -> None:
        self.made: dict[tuple[str, bool], tuple[tuple[schema.PaperPage, ...], str]] = {}
        self.tails: dict[str, str] = {}

    def list_html(self, group: list[schema.PaperPage], from_uri: str) -> str:
        key, papers = (from_uri, urls.directory_urls()), tuple(group)
        last = _lists.get(key)
        if last is not None and last[0] == papers:
            html = last[1]
        else:
            html = "".join([self._line(page, from_uri) for page in group])
        self.made[key] = (papers, html)
        return html

    def _line(self, page: schema.PaperPage, from_uri: str) -> str:
        """``render.paper_line``, its part after the link made once per paper."""
        meta = page.meta
        tail = self.tails.get(meta.arxiv_id)
        if tail is None:
            tail = self.tails[meta.arxiv_id] = paper_line_tail(page)
        return f'<li><a href="{urls.href(from_uri, urls.paper_uri(meta.arxiv_id))}">{tail}'

    def keep(self) -> None:
        """Keep this generation's lists for the next (and only those)."""
        _lists.clear()
        _lists.update(self.made)


def _paper_list(group: list[schema.PaperPage], from_uri: str, into: dict[str, str],
                items: _Items) -> str:
    """A month's papers: one HTML list."""
    return blocks.block(f"<ul>\n{items.list_html(group, from_uri)}</ul>", into) + "\n\n"


def _tag_page(tag: str, shown: list[tuple[str, list[schema.PaperPage]]],
              rest: list[tuple[str, list[schema.PaperPage]]], into: dict[str, str],
              items: _Items) -> str:
    from_uri = urls.tag_uri(tag)
    total = sum(len(group) for _, group in shown + rest)
    parts = [front_matter(names.tag_title(tag)), f"# {md_text(names.tag_title(tag))}\n\n",
             f"{total} paper{'s' if total != 1 else ''}, newest first.\n\n"]
    for month, group in shown:
        parts.append(f"## {month_name(month)}\n\n")
        parts.append(_paper_list(group, from_uri, into, items))
    if rest:
        parts.append("## Earlier months\n\n")
        parts += [f"- [{month_name(month)}]({urls.link(from_uri, urls.tag_uri(tag, month))})"
                  f" — {len(group)}\n" for month, group in rest]
    parts.append(f"\n[All tags]({urls.link(from_uri, urls.TAGS_INDEX_URI)})\n")
    return "".join(parts)


def _month_page(tag: str, month: str, group: list[schema.PaperPage], older: str | None,
                newer: str | None, into: dict[str, str], items: _Items) -> str:
    from_uri = urls.tag_uri(tag, month)
    title = md_text(names.tag_title(tag))
    parts = [front_matter(f"{names.tag_title(tag)}: {month_name(month)}"),
             f"# {title}: {month_name(month)}\n\n",
             f"{len(group)} paper{'s' if len(group) != 1 else ''}.\n\n"]
    parts.append(_paper_list(group, from_uri, into, items))
    links = []
    # The newest month with a page of its own follows the months the tag's page shows.
    if newer:
        links.append(f"[← {month_name(newer)}]({urls.link(from_uri, urls.tag_uri(tag, newer))})")
    links.append(f"[{title}]({urls.link(from_uri, urls.tag_uri(tag))})")
    if older:
        links.append(f"[{month_name(older)} →]({urls.link(from_uri, urls.tag_uri(tag, older))})")
    parts.append(" · ".join(links) + "\n")
    return "".join(parts)
