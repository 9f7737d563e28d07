"""One announcement day's listing: arXiv's per-category RSS feeds, merged into one list."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo

import feedparser

from ..config import Settings
from ..errors import DigestError, printable
from ..pages.frontmatter import clean
from ..pages.schema import is_arxiv_id
from .http import ArxivHttp

EASTERN = ZoneInfo("America/New_York")
FEED_CAP = 2000
"""arXiv cuts a feed at this many items: a feed this long is incomplete."""
KEPT_TYPES = ("new", "cross")
"""Announce types that are papers of the day; ``replace``/``replace-cross`` are old papers."""

_GUID = re.compile(r"(?:oai:arXiv\.org:)?(?P<id>.+?)v(?P<version>\d+)$")
_PREFIX = re.compile(r"^\s*arXiv:\S+\s+Announce Type:\s*\S+\s*", re.IGNORECASE)
# feedparser warns about these but the document is still a complete, well-formed feed.
_HARMLESS = (feedparser.CharacterEncodingOverride,)


@dataclass(frozen=True)
class ListedPaper:
    """One paper of the day as the feeds list it."""

    arxiv_id: str
    """Bare id, no version."""
    version: int
    title: str
    """Whitespace folded to single spaces."""
    abstract: str
    categories: tuple[str, ...]
    """As the feed lists them (the feed does not say which is primary)."""
    announce_type: str
    """``new`` or ``cross`` (``new`` wins when a paper is in several feeds)."""
    feed: str
    """The category feed the paper was taken from."""


@dataclass(frozen=True)
class Listing:
    """What arXiv announced on one day, in the configured categories."""

    date: date
    """The announcement date (the feeds' ``pubDate``, US Eastern)."""
    papers: list[ListedPaper] = field(default_factory=list)
    """``new`` and ``cross`` papers, one per id, in listing order."""
    listed: dict[str, int] = field(default_factory=dict)
    """Items per feed, every announce type counted."""
    capped: list[str] = field(default_factory=list)
    """Feeds that hold exactly ``FEED_CAP`` items, so were cut by arXiv."""
    backfilled: bool = False
    """True when rebuilt from the API instead of the day's feeds."""
    served: dict[str, dict[str, int]] = field(default_factory=dict)
    """Items per feed and announce type (``new``, ``cross``, ``replace``...), for the ledger."""
    new_ids: dict[str, list[str]] = field(default_factory=dict)
    """Ids each feed announces as ``new``, in feed order (to tell a stale feed)."""
    skipped: list[str] = field(default_factory=list)
    """Warnings about items left out (a guid that is no arXiv id), one line each."""


@dataclass(frozen=True)
class _Feed:
    category: str
    url: str
    day: date
    items: list[ListedPaper]
    count: int
    served: dict[str, int]
    new_ids: list[str]
    skipped: list[str]


def fetch_listing(settings: Settings, *, http: ArxivHttp | None = None) -> Listing:
    """Read every configured category's feed and merge them into the day's listing.

    ``http`` is the run's connection to arXiv (its pacer spaces these requests and the API's).
    """
    own = http is None
    http = http or ArxivHttp(settings)
    try:
        feeds = []
        for category in settings.categories:
            url = settings.rss_url.format(category=category)
            body = http.get(url, what=f"{category} feed")
            feeds.append(_parse(category, url, body))
    finally:
        if own:
            http.close()
    if not feeds:
        raise DigestError("no categories configured", where="categories")
    return Listing(
        date=_common_day(feeds),
        papers=_merge(feeds),
        listed={f.category: f.count for f in feeds},
        capped=[f.category for f in feeds if f.count >= FEED_CAP],
        served={f.category: f.served for f in feeds},
        new_ids={f.category: f.new_ids for f in feeds},
        skipped=[line for f in feeds for line in f.skipped],
    )


def _parse(category: str, url: str, body: bytes) -> _Feed:
    what = f"{category} feed"
    head = body[:512].lstrip().lower()
    if head.startswith((b"<!doctype", b"<html")):
        raise DigestError(f"{what}: got an HTML page instead of RSS", where=url)
    # Not sanitized: arXiv text is plain text (``a<b``, ``<script>`` in an abstract are words to
    # show, escaped later by the site), and sanitizing would silently drop parts of it.
    parsed = feedparser.parse(body, sanitize_html=False, resolve_relative_uris=False)
    if parsed.bozo and not isinstance(parsed.bozo_exception, _HARMLESS):
        detail = " ".join(str(parsed.bozo_exception).split())  # one line, whatever the parser says
        raise DigestError(f"{what}: malformed XML ({detail})", where=url)
    if not parsed.version.startswith("rss") or "published" not in parsed.feed:
        raise DigestError(f"{what}: not an arXiv RSS feed (no channel pubDate)", where=url)
    try:
        day = parsedate_to_datetime(parsed.feed.published).astimezone(EASTERN).date()
    except (TypeError, ValueError):
        raise DigestError(f"{what}: bad pubDate {parsed.feed.published!r}", where=url) from None
    parsed_items = [_item(entry, category, url) for entry in parsed.entries]
    items = [i for i in parsed_items if not isinstance(i, str)]
    skipped = [i for i in parsed_items if isinstance(i, str)]
    served = Counter(i.announce_type or "unknown" for i in items)
    return _Feed(category, url, day, [i for i in items if i.announce_type in KEPT_TYPES],
                 len(parsed.entries), dict(sorted(served.items())),
                 [i.arxiv_id for i in items if i.announce_type == "new"], skipped)


def _item(entry: feedparser.FeedParserDict, category: str, url: str) -> ListedPaper | str:
    """The listed paper, or a warning when the item's guid is no arXiv id (it becomes a path)."""
    guid = entry.get("id", "")
    match = _GUID.match(guid)
    if match is None or not is_arxiv_id(match["id"]):
        return printable(f"WARNING: {url}: {category} feed: item skipped, its guid {guid!r} "
                         "is not an arXiv id")
    description = clean(entry.get("description", ""))
    _, found, abstract = description.partition("Abstract:")
    if not found:
        abstract = _PREFIX.sub("", description)
    return ListedPaper(
        arxiv_id=match["id"],
        version=int(match["version"]),
        title=" ".join(clean(entry.get("title", "")).split()),
        abstract=abstract.strip(),
        categories=tuple(clean(t["term"]) for t in entry.get("tags", []) if t.get("term")),
        announce_type=entry.get("arxiv_announce_type", "").strip().lower(),
        feed=category,
    )


def _common_day(feeds: list[_Feed]) -> date:
    """The date all feeds agree on; a feed dated otherwise means a half-updated listing."""
    majority = Counter(f.day for f in feeds).most_common(1)[0][0]
    reference = next(f for f in feeds if f.day == majority)
    for feed in feeds:
        if feed.day != majority:
            raise DigestError(
                f"{feed.category} feed is dated {feed.day}, but {reference.category} feed "
                f"({reference.url}) is dated {majority}; the listing is changing, try again later",
                where=feed.url,
            )
    return majority


def _merge(feeds: list[_Feed]) -> list[ListedPaper]:
    """One entry per bare id, at its first position; a ``new`` announcement beats ``cross``."""
    merged: dict[str, ListedPaper] = {}
    for feed in feeds:
        for item in feed.items:
            seen = merged.get(item.arxiv_id)
            if seen is None:
                merged[item.arxiv_id] = item
            elif seen.announce_type != "new" and item.announce_type == "new":
                merged[item.arxiv_id] = item  # keeps the first position
    return list(merged.values())
