"""Atom (feedgen) and JSON Feed 1.1 feeds: the site's and one per tag, of the last announcement
days, with absolute links from site_url and ids that do not depend on it."""

from __future__ import annotations

import datetime as dt
import html
import json
from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import urljoin

from feedgen.feed import FeedGenerator
from lxml import etree

from ..pages import schema
from . import names, urls
from .escape import plain_text, rich_html
from .index import PageIndex

#: Announcement days in each feed: the site's feed holds all their papers, a tag's feed the
#: tag's papers among them (possibly none), so that no feed grows with the archive.
FEED_DAYS = 7
#: Most entries in one feed, newest first: a day of ``fetch --all`` can list hundreds of papers.
FEED_ENTRIES = 200
#: Path of the site's feeds without extension: ``urls.ATOM_FEED`` and ``urls.JSON_FEED``.
SITE_FEED = urls.ATOM_FEED.removesuffix(".xml")
#: Folder of the tags' feeds: ``feeds/<tag slug>.xml`` and ``.json``.
FEEDS_DIR = "feeds"
#: Prefix of the feeds' ids (a ``tag:`` URI, RFC 4151): a moved site keeps its feeds' ids.
FEED_ID = "tag:arxiv-digest,2026:"
#: Each entry's links in order: its digest page, then its arXiv page.
ENTRY_LINKS = ({"rel": "alternate", "type": "text/html"},
               {"rel": "related", "type": "text/html", "title": "arXiv"})
_ATOM = "{http://www.w3.org/2005/Atom}"
#: The ``updated`` of a feed that has never had a paper (a fixed date keeps builds identical).
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Feed:
    """One feed's papers, newest first, and where it lives."""

    path: str
    """Path on the site without extension: ``feed`` or ``feeds/cs-lg``."""
    feed_id: str
    """Its Atom id."""
    title: str
    """Its title, plain text."""
    home: str
    """Source path of the page it follows (home page or tag page)."""
    papers: list[schema.PaperPage]
    """Its entries, newest day first, listing order within a day."""
    updated: dt.datetime
    """The newest entry's date, or the tag's newest paper's when it has none in the window."""


def tag_feed_path(tag: str) -> str:
    """``feeds/cs-lg``: the tag's feeds are this with ``.xml`` and ``.json``."""
    return f"{FEEDS_DIR}/{urls.tag_slug(tag)}"


def _date(meta: schema.Paper) -> dt.datetime:
    # The announcement date is stable across builds (summary.at would move on a re-summary).
    return dt.datetime.combine(meta.announced, dt.time(0, 0), tzinfo=dt.UTC)


def _tags(meta: schema.Paper) -> list[str]:
    return list(dict.fromkeys([*meta.categories, *meta.topics]))


def recent_papers(index: PageIndex) -> list[schema.PaperPage]:
    """The papers of the last ``FEED_DAYS`` announcement days, newest day first (at most
    ``FEED_ENTRIES``)."""
    days = [index.days[d] for d in reversed(index.dates)
            if index.days[d].meta.status == "announced"][:FEED_DAYS]
    return [page for day in days for page in index.ordered_papers(day)][:FEED_ENTRIES]


def site_feeds(index: PageIndex, site_name: str) -> list[Feed]:
    """The site's feed, then one per tag (each tag that has a page)."""
    # The entries show abstracts, which the index does not hold: their files are read again.
    recent = [index.full(page) for page in recent_papers(index)]
    by_tag: dict[str, list[schema.PaperPage]] = defaultdict(list)
    for page in recent:
        for tag in _tags(page.meta):
            by_tag[tag].append(page)
    feeds = [Feed(SITE_FEED, f"{FEED_ID}{SITE_FEED}", plain_text(site_name), "index.md", recent,
                  _date(recent[0].meta) if recent else EPOCH)]
    for tag, pages in index.papers_by_tag().items():
        papers = by_tag.get(tag, [])
        newest = papers[0] if papers else pages[0]  # papers_by_tag: newest first
        path = tag_feed_path(tag)
        feeds.append(Feed(path, f"{FEED_ID}{path}",
                          plain_text(f"{site_name}: {names.tag_title(tag)}"),
                          urls.tag_uri(tag), papers, _date(newest.meta)))
    return feeds


def _entry_id(meta: schema.Paper) -> str:
    # The unversioned abstract page: the same paper whatever the site's address or version.
    return f"https://arxiv.org/abs/{meta.arxiv_id}"


def _page_url(site_url: str, uri: str, directory_urls: bool) -> str:
    return urljoin(site_url, urls.page_url(uri, directory_urls))


def _content_html(page: schema.PaperPage) -> str:
    """The summary bullets as HTML (the abstract where there are none), text escaped."""
    if page.bullets:
        return "<ul>" + "".join(f"<li>{rich_html(b)}</li>" for b in page.bullets) + "</ul>"
    return f"<p>{html.escape(plain_text(page.meta.abstract), quote=False)}</p>"


def atom_feed(feed: Feed, site_url: str, directory_urls: bool = True) -> bytes:
    out = FeedGenerator()
    out.id(feed.feed_id)
    out.title(feed.title)
    out.link(href=_page_url(site_url, feed.home, directory_urls), rel="alternate")
    out.link(href=urljoin(site_url, f"{feed.path}.xml"), rel="self")
    out.language("en")
    out.updated(feed.updated)
    # feedgen prepends entries: add the oldest first so the newest comes first in the file.
    for page in reversed(feed.papers):
        meta = page.meta
        entry = out.add_entry()
        entry.id(_entry_id(meta))
        entry.title(plain_text(meta.title))
        entry.link(href=_page_url(site_url, urls.paper_uri(meta.arxiv_id), directory_urls))
        entry.link(href=meta.abs_url)
        for author in meta.authors or ["Unknown"]:
            entry.author(name=plain_text(author))
        entry.updated(_date(meta))
        if meta.published:
            entry.published(meta.published)
        entry.summary(_content_html(page), type="html")
        for tag in _tags(meta):
            entry.category(term=plain_text(tag))
    return _with_link_relations(out.atom_str())


def _with_link_relations(atom: bytes) -> bytes:
    """The feed with each entry's links given ``ENTRY_LINKS``' attributes: feedgen 1.0 writes
    an entry link's href only (its writer overwrites the link's data with the element)."""
    root = etree.fromstring(atom)
    for entry in root.iter(f"{_ATOM}entry"):
        for link, attributes in zip(entry.iter(f"{_ATOM}link"), ENTRY_LINKS, strict=True):
            for name, value in attributes.items():
                link.set(name, value)
    return etree.tostring(root, pretty_print=True, xml_declaration=True, encoding="UTF-8")


def json_feed(feed: Feed, site_url: str, directory_urls: bool = True) -> bytes:
    items = []
    for page in feed.papers:
        meta = page.meta
        item = {
            "id": _entry_id(meta),
            "url": _page_url(site_url, urls.paper_uri(meta.arxiv_id), directory_urls),
            "external_url": meta.abs_url,
            "title": plain_text(meta.title),
            "content_html": _content_html(page),
            "summary": plain_text(meta.abstract),
            "date_published": _date(meta).isoformat(),
            "authors": [{"name": plain_text(a)} for a in meta.authors or ["Unknown"]],
            "tags": [plain_text(t) for t in _tags(meta)],
        }
        items.append(item)
    out = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": feed.title,
        "home_page_url": _page_url(site_url, feed.home, directory_urls),
        "feed_url": urljoin(site_url, f"{feed.path}.json"),
        "language": "en",
        "items": items,
    }
    return json.dumps(out, ensure_ascii=False, indent=1).encode("utf-8")
