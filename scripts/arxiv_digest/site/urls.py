"""Where each kind of page lives on the site, and relative links between them."""

from __future__ import annotations

import datetime as dt
import posixpath
from dataclasses import dataclass

from mkdocs.utils import get_relative_url

from ..pages import schema

TAGS_DIR = "tags"
ARCHIVE_URI = "archive.md"
STATS_URI = "stats.md"
TAGS_INDEX_URI = f"{TAGS_DIR}/index.md"
ATOM_FEED = "feed.xml"
JSON_FEED = "feed.json"

def tag_slug(tag: str) -> str:
    """``cs.LG`` -> ``cs-lg``; a topic slug stays as it is."""
    return schema.tag_key(tag) or "tag"


def paper_uri(arxiv_id: str) -> str:
    return f"{schema.PAPERS_DIR}/{schema.paper_slug(arxiv_id)}.md"


def day_uri(date: dt.date) -> str:
    return f"{schema.DAYS_DIR}/{date.isoformat()}.md"


def tag_uri(tag: str, month: str | None = None) -> str:
    """``tags/cs-lg/index.md``, or ``tags/cs-lg/2026-04.md`` for one month of it."""
    return f"{TAGS_DIR}/{tag_slug(tag)}/{month or 'index'}.md"


def page_url(uri: str, directory_urls: bool = True) -> str:
    """The URL MkDocs gives the page at ``uri`` (``papers/x.md`` -> ``papers/x/``)."""
    stem = uri[: -len(".md")]
    if not directory_urls:
        return stem + ".html"
    if stem == "index" or stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def link(from_uri: str, to_uri: str) -> str:
    """Relative link between two source files (``days/x.md`` -> ``../papers/y.md``).

    MkDocs checks such links and turns them into page URLs, whatever ``use_directory_urls`` is.
    """
    start = posixpath.dirname(from_uri)
    if ".." in to_uri or ".." in start:
        return posixpath.relpath(to_uri, start or ".")
    # posixpath.relpath's answer for two paths below the same folder, without the two calls to
    # os.getcwd() it makes to get there (thousands of links on tag and day pages).
    start_parts = [part for part in start.split("/") if part and part != "."]
    to_parts = [part for part in to_uri.split("/") if part and part != "."]
    common = 0
    for a, b in zip(start_parts, to_parts, strict=False):
        if a != b:
            break
        common += 1
    return "/".join([".."] * (len(start_parts) - common) + to_parts[common:]) or "."


def href(from_uri: str, to_uri: str, directory_urls: bool = True) -> str:
    """The URL of the page at ``to_uri`` relative to the page at ``from_uri``, for HTML links.

    The link MkDocs would make of ``link(from_uri, to_uri)`` in Markdown.
    """
    return get_relative_url(page_url(to_uri, directory_urls), page_url(from_uri, directory_urls))


@dataclass(frozen=True)
class Links:
    """Links from one page: as HTML URLs (``to``) or as Markdown links to source files (``md``)."""

    from_uri: str
    """Source path of the page the links are on."""
    directory_urls: bool = True
    """mkdocs.yml's ``use_directory_urls``."""

    def to(self, uri: str) -> str:
        return href(self.from_uri, uri, self.directory_urls)

    def md(self, uri: str) -> str:
        return link(self.from_uri, uri)
