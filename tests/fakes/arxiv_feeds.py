"""Papers and feeds of the fake arXiv server: loaded from tests/data/arxiv/, rendered like arXiv."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr
from zoneinfo import ZoneInfo

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "arxiv"
EASTERN = ZoneInfo("America/New_York")
RECORDED_DAY = date(2026, 4, 27)
"""The announcement date of the recorded RSS feeds (a Monday)."""

_NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "arxiv": "http://arxiv.org/schemas/atom",
    "dc": "http://purl.org/dc/elements/1.1/",
}
_VALID_ID = re.compile(r"^(\d{4}\.\d{4,5}|[a-z-]+(\.[A-Z]{2})?/\d{7})(v\d+)?$")
_VERSION = re.compile(r"v(\d+)$")


@dataclass
class FakePaper:
    """One paper the fake API knows (and the fake feeds may list)."""

    arxiv_id: str
    """Bare id, e.g. ``2604.21935``."""
    title: str
    abstract: str
    categories: list[str]
    """Primary first."""
    authors: list[str] = field(default_factory=lambda: ["A. Author"])
    version: int = 1
    comment: str | None = None
    published: datetime = datetime(2026, 4, 24, 12, 0, tzinfo=UTC)
    updated: datetime | None = None
    """Defaults to ``published``."""


@dataclass
class FeedItem:
    """One item of an RSS feed: a paper and how it is announced there."""

    paper: FakePaper
    announce_type: str = "new"
    """``new``, ``cross``, ``replace`` or ``replace-cross``."""


@dataclass
class Feed:
    """The RSS feed of one category."""

    day: date
    items: list[FeedItem] = field(default_factory=list)
    raw: bytes | None = None
    """The recorded bytes, served verbatim while the feed is unmodified."""


def is_valid_id(arxiv_id: str) -> bool:
    """Whether the real API would accept ``arxiv_id`` in an ``id_list``."""
    return bool(_VALID_ID.match(arxiv_id))


def bare_id(arxiv_id: str) -> str:
    """``2604.21935v2`` -> ``2604.21935``."""
    return _VERSION.sub("", arxiv_id)


def load_recorded_papers() -> dict[str, FakePaper]:
    """Every paper of the API recordings, then of the RSS ones (with made-up submission times)."""
    papers: dict[str, FakePaper] = {}
    for path in sorted((DATA_DIR / "api").glob("*.xml")):
        for entry in ET.parse(path).getroot().iterfind("atom:entry", _NS):
            paper = _paper_from_entry(entry)
            if paper is not None:
                papers.setdefault(paper.arxiv_id, paper)
    for feed in load_recorded_feeds().values():
        for item in feed.items:
            papers.setdefault(item.paper.arxiv_id, item.paper)
    return papers


def load_recorded_feeds() -> dict[str, Feed]:
    """The recorded RSS feeds of 2026-04-27, by category."""
    feeds: dict[str, Feed] = {}
    for path in sorted((DATA_DIR / "rss").glob("*_rss_*.xml")):
        category = path.stem.split("_rss_", 1)[1]
        raw = path.read_bytes()
        channel = ET.fromstring(raw).find("channel")
        assert channel is not None
        day = parsedate_to_datetime(channel.findtext("pubDate", "")).date()
        items = []
        for n, item in enumerate(channel.iterfind("item")):
            guid = item.findtext("guid", "").rsplit(":", 1)[1]
            description = item.findtext("description", "")
            paper = FakePaper(
                arxiv_id=bare_id(guid),
                version=int(_VERSION.search(guid).group(1)),  # type: ignore[union-attr]
                title=item.findtext("title", ""),
                abstract=description.split("Abstract:", 1)[1].strip(),
                categories=[c.text or "" for c in item.iterfind("category")],
                authors=item.findtext("dc:creator", "", _NS).split(", "),
                # Submitted in the window of the Monday mailing (Thu 14:00 to Fri 14:00 ET).
                published=datetime(2026, 4, 24, 12, n, tzinfo=UTC),
            )
            announce = item.findtext("arxiv:announce_type", "new", _NS)
            items.append(FeedItem(paper, announce))
        feeds[category] = Feed(day=day, items=items, raw=raw)
    return feeds


def synthetic_papers(n: int, *, category: str = "cs.LG", start: int = 1,
                     prefix: str = "2604.9", published: datetime | None = None) -> list[FakePaper]:
    """``n`` distinct made-up papers (ids ``2604.90001``...), primary ``category``."""
    published = published or datetime(2026, 4, 24, 12, 0, tzinfo=UTC)
    return [
        FakePaper(
            arxiv_id=f"{prefix}{start + i:04d}",
            title=f"Synthetic paper {start + i} on efficient transformers",
            abstract=f"We study quantization of large language models, case {start + i}. "
            "It is fast. It is small. It works.",
            categories=[category],
            authors=[f"Author {start + i}", "Second Author"],
            comment="10 pages",
            published=published + timedelta(seconds=i),
        )
        for i in range(n)
    ]


def render_rss(category: str, feed: Feed) -> bytes:
    """The feed as rss.arxiv.org serves it."""
    if feed.raw is not None:
        return feed.raw
    midnight = datetime.combine(feed.day, time(0), EASTERN)
    items = "".join(_rss_item(item, format_datetime(midnight)) for item in feed.items)
    return f"""<rss xmlns:arxiv="http://arxiv.org/schemas/atom" \
xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/" version="2.0">
  <channel>
    <title>{category} updates on arXiv.org</title>
    <link>http://rss.arxiv.org/rss/{category}</link>
    <description>{category} updates on the arXiv.org e-print archive.</description>
    <atom:link href="http://rss.arxiv.org/rss/{category}" rel="self" type="application/rss+xml" />
    <docs>http://www.rssboard.org/rss-specification</docs>
    <language>en-us</language>
    <lastBuildDate>{format_datetime(midnight.astimezone(UTC))}</lastBuildDate>
    <managingEditor>rss-help@arxiv.org</managingEditor>
    <pubDate>{format_datetime(midnight)}</pubDate>
    <skipDays>
      <day>Saturday</day>
      <day>Sunday</day>
    </skipDays>{items}
    </channel>
</rss>""".encode()


def _rss_item(item: FeedItem, pub_date: str) -> str:
    p = item.paper
    cats = "".join(f"\n      <category>{escape(c)}</category>" for c in p.categories)
    return f"""
    <item>
      <title>{escape(p.title)}</title>
      <link>https://arxiv.org/abs/{p.arxiv_id}</link>
      <description>arXiv:{p.arxiv_id}v{p.version} Announce Type: {item.announce_type} 
Abstract: {escape(p.abstract)}</description>
      <guid isPermaLink="false">oai:arXiv.org:{p.arxiv_id}v{p.version}</guid>{cats}
      <pubDate>{pub_date}</pubDate>
      <arxiv:announce_type>{item.announce_type}</arxiv:announce_type>
      <dc:rights>http://arxiv.org/licenses/nonexclusive-distrib/1.0/</dc:rights>
      <dc:creator>{escape(", ".join(p.authors))}</dc:creator>
    </item>"""  # noqa: W291 -- arXiv really puts a space after the announce type


def render_atom(papers: list[FakePaper], *, title: str, total: int, start: int,
                per_page: int) -> bytes:
    """An API answer in the shape of the recordings in tests/data/arxiv/api/."""
    entries = "".join(_atom_entry(p) for p in papers)
    return f"""<?xml version='1.0' encoding='UTF-8'?>
<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" \
xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">
  <id>https://arxiv.org/api/fake</id>
  <title>arXiv Query: {escape(title)}</title>
  <updated>2026-04-30T17:33:16Z</updated>
  <opensearch:itemsPerPage>{per_page}</opensearch:itemsPerPage>
  <opensearch:totalResults>{total}</opensearch:totalResults>
  <opensearch:startIndex>{start}</opensearch:startIndex>{entries}
</feed>
""".encode()


def render_atom_error(message: str) -> bytes:
    """The API's error feed (sent with HTTP 400), as recorded for ``id_list=abc``."""
    anchor = re.sub(r"\W+", "_", message)
    return f"""<?xml version='1.0' encoding='UTF-8'?>
<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" \
xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">
  <id>https://arxiv.org/</id>
  <title>arXiv Search Results</title>
  <updated>2026-04-12T22:59:06Z</updated>
  <opensearch:itemsPerPage>1</opensearch:itemsPerPage>
  <opensearch:totalResults>1</opensearch:totalResults>
  <opensearch:startIndex>0</opensearch:startIndex>
  <entry>
    <id>https://arxiv.org/api/errors#{anchor}</id>
    <title>Error</title>
    <updated>2026-04-12T22:59:06Z</updated>
    <link href="https://arxiv.org/api/errors#{anchor}" rel="alternate" type="text/html"/>
    <summary>{escape(message)}</summary>
    <author>
      <name>arXiv api core</name>
    </author>
  </entry>
</feed>
""".encode()


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _atom_entry(p: FakePaper) -> str:
    vid = f"{p.arxiv_id}v{p.version}"
    cats = "".join(
        f'\n    <category term={quoteattr(c)} scheme="http://arxiv.org/schemas/atom"/>'
        for c in p.categories
    )
    comment = f"\n    <arxiv:comment>{escape(p.comment)}</arxiv:comment>" if p.comment else ""
    authors = "".join(
        f"\n    <author>\n      <name>{escape(a)}</name>\n    </author>" for a in p.authors
    )
    return f"""
  <entry>
    <id>http://arxiv.org/abs/{vid}</id>
    <title>{escape(p.title)}</title>
    <updated>{_stamp(p.updated or p.published)}</updated>
    <link href="https://arxiv.org/abs/{vid}" rel="alternate" type="text/html"/>
    <link href="https://arxiv.org/pdf/{vid}" rel="related" type="application/pdf" title="pdf"/>
    <summary>{escape(p.abstract)}</summary>{cats}
    <published>{_stamp(p.published)}</published>{comment}
    <arxiv:primary_category term={quoteattr(p.categories[0])}/>{authors}
  </entry>"""


def _paper_from_entry(entry: ET.Element) -> FakePaper | None:
    if entry.findtext("atom:title", "", _NS) == "Error":
        return None
    vid = entry.findtext("atom:id", "", _NS).rsplit("/abs/", 1)[1]
    primary = entry.find("arxiv:primary_category", _NS)
    cats = [c.get("term", "") for c in entry.iterfind("atom:category", _NS)]
    if primary is not None:
        first = primary.get("term", "")
        cats = [first] + [c for c in cats if c != first]
    return FakePaper(
        arxiv_id=bare_id(vid),
        version=int(_VERSION.search(vid).group(1)),  # type: ignore[union-attr]
        title=re.sub(r"\s+", " ", entry.findtext("atom:title", "", _NS)),
        abstract=entry.findtext("atom:summary", "", _NS).strip(),
        categories=cats,
        authors=[a.findtext("atom:name", "", _NS) for a in entry.iterfind("atom:author", _NS)],
        comment=entry.findtext("arxiv:comment", None, _NS),
        published=datetime.fromisoformat(entry.findtext("atom:published", "", _NS)),
        updated=datetime.fromisoformat(entry.findtext("atom:updated", "", _NS)),
    )
