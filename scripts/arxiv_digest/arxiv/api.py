"""Paper metadata from the arXiv API (``arxiv`` package): batches, a timeout, backoff."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar
from xml.etree import ElementTree

import arxiv
import requests

from ..config import Settings
from ..errors import DigestError
from .http import RETRY_STATUSES, USER_AGENT, backoff, check_retry_after, retry_after_seconds

BATCH_SIZE = 100
"""Ids per API request (arXiv's advice for ``id_list``)."""
_VERSIONED = re.compile(r"^(?P<id>.+?)(?:v(?P<version>\d+))?$")
T = TypeVar("T")


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


class _CutAnswer(Exception):
    """An answer with status 200 that is not well-formed XML (e.g. the connection dropped)."""


class _Session(requests.Session):
    """A session with a default timeout that counts requests and keeps the last response.

    arxiv 4.0.2 sends requests without a timeout and drops the response on HTTP errors; the
    timeout stops a silent server from hanging a run, the response gives us Retry-After.
    """

    def __init__(self, timeout: float):
        super().__init__()
        self.timeout = timeout
        self.count = 0
        self.last_response: requests.Response | None = None

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any
                ) -> requests.Response:
        kwargs.setdefault("timeout", self.timeout)
        self.count += 1
        self.last_response = None
        response = super().request(method, url, *args, **kwargs)
        self.last_response = response
        if response.status_code == 200:
            # feedparser reads a cut answer leniently: its last entry would come without
            # authors or comment, and be written so. A cut answer is a failure to retry.
            try:
                ElementTree.fromstring(response.content)
            except ElementTree.ParseError as err:
                raise _CutAnswer(f"malformed XML answer ({err})") from None
        return response


class ArxivClient(arxiv.Client):
    """``arxiv.Client`` pointed at ``settings.api_url``; retries are left to this module."""

    def __init__(self, settings: Settings):
        super().__init__(page_size=BATCH_SIZE, delay_seconds=settings.delay_seconds,
                         num_retries=0)
        self.query_url_format = settings.api_url + "?{}"
        self.settings = settings
        self._session = _Session(settings.http_timeout)
        self._session.headers["User-Agent"] = USER_AGENT

    @property
    def requests_made(self) -> int:
        """HTTP requests sent so far (every page and every retry)."""
        return self._session.count

    @property
    def last_response(self) -> requests.Response | None:
        return self._session.last_response

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> ArxivClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def make_client(settings: Settings) -> ArxivClient:
    """The one API client of a run; pass it to ``fetch_metadata`` and ``backfill_listing``."""
    return ArxivClient(settings)


def fetch_metadata(ids: Iterable[str], settings: Settings, *, client: ArxivClient | None = None,
                   also: Iterable[str] = ()) -> dict[str, Metadata]:
    """Metadata for every id (bare or versioned), keyed by bare id; every id or DigestError.

    ``also`` are more ids asked in the same batches, after ``ids``, that the answer may lack
    (the re-check of recent papers' versions costs no request of its own this way).
    """
    own = client is None
    client = client or make_client(settings)
    wanted = list(dict.fromkeys(_split(i)[0] for i in ids))
    required = set(wanted)
    wanted += [i for i in dict.fromkeys(_split(i)[0] for i in also) if i not in required]
    found: dict[str, Metadata] = {}
    try:
        for start in range(0, len(wanted), BATCH_SIZE):
            found.update(_fetch_batch(wanted[start:start + BATCH_SIZE], client, required))
    finally:
        if own:
            client.close()
    return found


def _fetch_batch(batch: list[str], client: ArxivClient, required: set[str]
                 ) -> dict[str, Metadata]:
    """One batch; ids the API left out are asked again (it sometimes answers empty pages)."""
    found: dict[str, Metadata] = {}
    missing = batch

    def attempt() -> list[str]:
        nonlocal missing
        search = arxiv.Search(id_list=missing, max_results=len(missing))
        for result in client.results(search):
            meta = to_metadata(result, client.settings.api_url)
            found[meta.arxiv_id] = meta
        missing = [i for i in missing if i not in found]
        return missing

    def lacking(left: list[str]) -> str | None:
        left = [i for i in left if i in required]
        return f"no entry for {len(left)} of {len(batch)} ids: " + ", ".join(left) if left else None

    with_retries(attempt, client, what="arXiv API", incomplete=lacking)
    return found


def with_retries(attempt: Callable[[], T], client: ArxivClient, *, what: str,
                 incomplete: Callable[[T], str | None] | None = None) -> T:
    """Run ``attempt`` until it succeeds and ``incomplete`` (if given) finds nothing wrong.

    Retries HTTP 429/5xx, timeouts, connection errors and what ``incomplete(value)`` describes
    (e.g. ids left out), with exponential backoff never shorter than Retry-After; when the
    retries are spent, raises DigestError with the last problem.
    """
    settings = client.settings
    attempts = settings.retries + 1
    for number in range(1, attempts + 1):
        retry_after = None
        try:
            value = attempt()
        except arxiv.HTTPError as err:
            response = client.last_response
            if err.status == 400:
                raise DigestError(f"{what} rejected the query: {_api_error(response)}",
                                  where=err.url) from None
            if err.status not in RETRY_STATUSES:
                raise DigestError(f"{what}: HTTP {err.status}", where=err.url) from None
            problem = f"HTTP {err.status}"
            if response is not None:
                retry_after = retry_after_seconds(response.headers.get("Retry-After"))
                check_retry_after(retry_after, err.url)
        except arxiv.UnexpectedEmptyPageError:
            problem = "empty page in the middle of the results"
        except requests.Timeout:
            problem = f"no answer within {settings.http_timeout:g} s"
        except requests.ConnectionError as err:
            problem = f"connection failed ({type(err).__name__})"
        except _CutAnswer as err:
            problem = str(err)
        else:
            found = incomplete(value) if incomplete is not None else None
            if found is None:
                return value
            problem = found
        if number < attempts:
            time.sleep(backoff(settings, number, retry_after))
    raise DigestError(f"{what}: {problem} (after {attempts} attempts)", where=settings.api_url)


def to_metadata(result: arxiv.Result, api_url: str) -> Metadata:
    """Convert one API result; an arXiv error entry becomes a DigestError."""
    if result.title.strip() == "Error" or "/api/errors" in result.entry_id:
        raise DigestError(f"arXiv API error: {result.summary.strip()}", where=api_url)
    arxiv_id, version = _split(result.get_short_id())
    primary = result.primary_category or (result.categories[0] if result.categories else "")
    return Metadata(
        arxiv_id=arxiv_id,
        version=version or 1,
        title=" ".join(result.title.split()),
        abstract=" ".join(result.summary.split()),
        authors=[a.name for a in result.authors],
        categories=[primary] + [c for c in result.categories if c != primary],
        comment=" ".join(result.comment.split()) if result.comment else None,
        published=result.published,
        updated=result.updated,
    )


def _split(arxiv_id: str) -> tuple[str, int | None]:
    match = _VERSIONED.match(arxiv_id.strip())
    assert match is not None  # the pattern matches any string
    version = match["version"]
    return match["id"], int(version) if version else None


def _api_error(response: requests.Response | None) -> str:
    """The message of arXiv's error feed (an entry titled "Error"), else a generic one."""
    if response is not None:
        try:
            root = ElementTree.fromstring(response.content)
        except ElementTree.ParseError:
            return "HTTP 400"
        summary = root.findtext(".//{http://www.w3.org/2005/Atom}summary")
        if summary:
            return " ".join(summary.split())
    return "HTTP 400"
