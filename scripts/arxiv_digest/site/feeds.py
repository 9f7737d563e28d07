"""Atom (feedgen) and JSON Feed 1.1 of the latest papers, with absolute links from site_url."""

from __future__ import annotations

import datetime as dt
import json
from urllib.parse import urljoin

from feedgen.feed import FeedGenerator

from ..pages import schema
from . import urls
from .escape import plain_text
from .index import PageIndex

#: Papers in each feed.
FEED_PAPERS = 50


def _updated(meta: schema.Paper) -> dt.datetime:
    # The announcement date is stable across builds (summary.at would move on a re-summary).
    return dt.datetime.combine(meta.announced, dt.time(0, 0), tzinfo=dt.UTC)


def _summary_text(page: schema.PaperPage) -> str:
    return "\n".join(f"- {plain_text(b)}" for b in page.bullets)


def atom_feed(index: PageIndex, site_url: str, site_name: str) -> bytes:
    papers = index.latest_papers(FEED_PAPERS)
    feed = FeedGenerator()
    feed.id(site_url)
    feed.title(site_name)
    feed.link(href=site_url, rel="alternate")
    feed.link(href=urljoin(site_url, urls.ATOM_FEED), rel="self")
    feed.language("en")
    feed.updated(_updated(papers[0].meta) if papers else dt.datetime(1970, 1, 1, tzinfo=dt.UTC))
    # feedgen prepends entries: add the oldest first so the newest comes first in the file.
    for page in reversed(papers):
        meta = page.meta
        url = urljoin(site_url, urls.page_url(urls.paper_uri(meta.arxiv_id)))
        entry = feed.add_entry()
        entry.id(url)
        entry.title(plain_text(meta.title))
        entry.link(href=url, rel="alternate")
        for author in meta.authors or ["Unknown"]:
            entry.author(name=plain_text(author))
        entry.updated(_updated(meta))
        if meta.published:
            entry.published(meta.published)
        entry.summary(_summary_text(page) or plain_text(meta.abstract))
        for tag in dict.fromkeys([*meta.categories, *meta.topics]):
            entry.category(term=tag)
    return feed.atom_str(pretty=True)


def json_feed(index: PageIndex, site_url: str, site_name: str) -> bytes:
    items = []
    for page in index.latest_papers(FEED_PAPERS):
        meta = page.meta
        url = urljoin(site_url, urls.page_url(urls.paper_uri(meta.arxiv_id)))
        item = {
            "id": url,
            "url": url,
            "external_url": meta.abs_url,
            "title": plain_text(meta.title),
            "content_text": _summary_text(page) or plain_text(meta.abstract),
            "summary": plain_text(meta.abstract),
            "date_published": _updated(meta).isoformat(),
            "authors": [{"name": plain_text(a)} for a in meta.authors],
            "tags": list(dict.fromkeys([*meta.categories, *meta.topics])),
        }
        items.append(item)
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": site_name,
        "home_page_url": site_url,
        "feed_url": urljoin(site_url, urls.JSON_FEED),
        "language": "en",
        "items": items,
    }
    return json.dumps(feed, ensure_ascii=False, indent=1).encode("utf-8")
