"""Paper metadata from the arXiv API: its Atom answers fetched through :class:`ArxivHttp`.

The ``arxiv`` package's client sends its requests through a private session, with no timeout
and without the Retry-After of an error answer; so the API is asked here, through the run's one
connection to arXiv, and its Atom read with feedparser. The package still names the query's
sort orders (its public enums).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

import arxiv
import feedparser

from ..config import Settings
from ..errors import DigestError
from ..pages.frontmatter import clean
from ..pages.schema import MAX_TITLE, clip, is_arxiv_id, split_version
from ..retry import Retry
from .http import ArxivHttp, well_formed

BATCH_SIZE = 100
"""Ids per API request (arXiv's advice for ``id_list``), and results per page of a search."""
_CATEGORY = re.compile(r"^[a-z][a-z-]*(\.[A-Za-z][A-Za-z-]*)?$")


@dataclass(frozen=True)
class Metadata:
    """What the API says about one paper (its latest version)."""

    arxiv_id: str
    """Bare id, no version."""
    version: int
    title: str
    """Whitespace folded."""
    abstract: str
    """Whitespace folded."""
    authors: list[str]
    categories: list[str]
    """Primary category first."""
    comment: str | None
    published: datetime
    """First version (timezone-aware, UTC)."""
    updated: datetime
    """This version (timezone-aware, UTC)."""


class ArxivClient:
    """The API, asked through ``http`` (the run's connection to arXiv, shared with the feeds)."""

    def __init__(self, settings: Settings, http: ArxivHttp | None = None):
        self.settings = settings
        self.http = http or ArxivHttp(settings)

    @property
    def requests_made(self) -> int:
        """HTTP requests sent so far (every page and every retry)."""
        return self.http.requests_made

    def page(self, params: dict[str, str], *, what: str) -> tuple[list[Metadata], int]:
        """One page of answers to ``params`` and the total the API reports."""
        body = self.http.get(self.settings.api_url, what=what, params=params,
                             rejected=self._rejected, valid=well_formed)
        parsed = feedparser.parse(body, sanitize_html=False, resolve_relative_uris=False)
        results = [self._metadata(entry) for entry in parsed.entries]
        try:
            total = int(parsed.feed.get("opensearch_totalresults", len(results)))
        except ValueError:
            total = len(results)
        return [r for r in results if r is not None], total

    def search(self, query: str, *, what: str, limit: int, ascending: bool = True
               ) -> list[Metadata]:
        """Every result of ``query`` by submission date, page by page, at most ``limit``."""
        order = arxiv.SortOrder.Ascending if ascending else arxiv.SortOrder.Descending
        found: list[Metadata] = []
        total = limit
        while len(found) < min(total, limit):
            params = {"search_query": query, "start": str(len(found)),
                      "max_results": str(BATCH_SIZE),
                      "sortBy": arxiv.SortCriterion.SubmittedDate.value, "sortOrder": order.value}

            def attempt(params: dict[str, str] = params) -> tuple[list[Metadata], int]:
                results, total = self.page(params, what=what)
                if not results and params["start"] != "0":
                    raise Retry("empty page in the middle of the results")
                return results, total

            results, total = self.http.policy.run(attempt, what=what, where=self.settings.api_url)
            if not results:
                break
            found += results
        return found[:limit]

    def _rejected(self, status: int, body: bytes) -> DigestError | None:
        if status != 400:
            return None
        # arXiv's error feed: an entry titled "Error" whose summary says what is wrong.
        entries = feedparser.parse(body).entries
        message = " ".join(entries[0].get("summary", "").split()) if entries else ""
        return DigestError(f"arXiv API rejected the query: {message or 'HTTP 400'}",
                           where=self.settings.api_url)

    def _metadata(self, entry: feedparser.FeedParserDict) -> Metadata | None:
        """One entry; an arXiv error entry is a DigestError, an entry without an id is None."""
        if entry.get("title", "").strip() == "Error" or "/api/errors" in entry.get("id", ""):
            raise DigestError(f"arXiv API error: {' '.join(entry.get('summary', '').split())}",
                              where=self.settings.api_url)
        arxiv_id, version = split_version(entry.get("id", "").rpartition("/abs/")[2])
        if not is_arxiv_id(arxiv_id):
            return None
        primary = (entry.get("arxiv_primary_category") or {}).get("term", "")
        terms = [clean(t["term"]) for t in entry.get("tags", []) if t.get("term")]
        categories = [c for c in dict.fromkeys([primary, *terms]) if _CATEGORY.match(c)]
        comment = _fold(entry.get("arxiv_comment", ""))
        return Metadata(
            arxiv_id=arxiv_id,
            version=version or 1,
            title=clip(_fold(entry.get("title", "")), MAX_TITLE),
            abstract=_fold(entry.get("summary", "")),
            authors=[_fold(a.get("name", "")) for a in entry.get("authors", []) if a.get("name")],
            categories=categories,
            comment=comment or None,
            published=_time(entry.get("published", "")),
            updated=_time(entry.get("updated", "") or entry.get("published", "")),
        )

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> ArxivClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def make_client(settings: Settings, http: ArxivHttp | None = None) -> ArxivClient:
    """The one API client of a run; pass it to ``fetch_metadata`` and ``backfill_listing``."""
    return ArxivClient(settings, http)


def fetch_metadata(ids: Iterable[str], settings: Settings, *, client: ArxivClient | None = None,
                   also: Iterable[str] = ()) -> dict[str, Metadata]:
    """Metadata for every id (bare or versioned), keyed by bare id; every id or DigestError.

    ``also`` are more ids asked in the same batches, after ``ids``, that the answer may lack
    (the re-check of recent papers' versions costs no request of its own this way).
    """
    own = client is None
    client = client or make_client(settings)
    wanted = list(dict.fromkeys(split_version(i)[0] for i in ids))
    required = set(wanted)
    wanted += [i for i in dict.fromkeys(split_version(i)[0] for i in also) if i not in required]
    found: dict[str, Metadata] = {}
    try:
        for start in range(0, len(wanted), BATCH_SIZE):
            found.update(fetch_batch(wanted[start:start + BATCH_SIZE], client, required=required))
    finally:
        if own:
            client.close()
    return found


def fetch_batch(batch: list[str], client: ArxivClient, *, what: str = "arXiv API",
                required: set[str] | None = None) -> dict[str, Metadata]:
    """One ``id_list`` batch; ids the API left out are asked again (it sometimes answers
    empty pages), within the retry policy; DigestError naming them when it keeps doing so.

    Only the ``required`` ids (default: all) must be in the answer; the others may lack.
    """
    found: dict[str, Metadata] = {}

    def attempt() -> None:
        missing = [i for i in batch if i not in found]
        params = {"id_list": ",".join(missing), "start": "0", "max_results": str(BATCH_SIZE)}
        for meta in client.page(params, what=what)[0]:
            found[meta.arxiv_id] = meta
        left = [i for i in batch if i not in found and (required is None or i in required)]
        if left:
            raise Retry(f"no entry for {len(left)} of {len(batch)} ids: " + ", ".join(left))

    client.http.policy.run(attempt, what=what, where=client.settings.api_url)
    return found


def _fold(text: str) -> str:
    return " ".join(clean(text).split())


def _time(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise DigestError(f"arXiv API: bad time {value!r}", where="published/updated") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
