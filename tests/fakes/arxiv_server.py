"""A local fake of arXiv (RSS listing feeds and the query API) with scriptable faults, for tests.

Usage (the ``arxiv_server`` fixture starts one per test and stops it afterwards)::

    def test_something(arxiv_server):
        settings = arxiv_server.settings()          # rss_url/api_url pointed here, no delays
        arxiv_server.fail("/rss/cs.AI", 503, retry_after=0.2)   # next cs.AI request: 503
        listing = fetch_listing(settings)
        assert [r.path for r in arxiv_server.requests][:2] == ["/rss/cs.AI", "/rss/cs.AI"]

Endpoints:

- ``GET /rss/<category>`` -- the category's RSS feed. By default the recorded feeds of Monday
  2026-04-27 (cs.AI, cs.CL, cs.LG; three ``new`` items each, served byte for byte); any other
  category gets an empty feed dated ``day`` (2026-04-27 unless changed).
- ``GET /api/query`` -- the arXiv API. ``id_list`` is answered from ``papers`` (every paper of
  the recordings, including those of the RSS feeds, plus any added), in the requested order;
  unknown ids are left out (as arXiv does); an id of invalid format gets HTTP 400 with arXiv's
  error feed (an entry titled ``Error``). ``search_query`` understands ``cat:X`` terms (any of
  them matches) and ``submittedDate:[YYYYMMDDHHMM TO YYYYMMDDHHMM]`` (UTC, inclusive), sorted by
  ``sortBy``/``sortOrder``; ``start``/``max_results`` paginate; ``totalResults`` is the number of
  matches.

Attributes of :class:`ArxivServer`:

- ``base_url`` (``http://127.0.0.1:<port>``), ``rss_url`` (``.../rss/{category}``, for
  ``ARXIV_RSS_URL``), ``api_url`` (``.../api/query``, for ``ARXIV_API_URL``), ``API_PATH``.
- ``requests`` -- every :class:`Request` (method, path, query dict, ``time`` = monotonic arrival,
  ``status`` once answered), in arrival order; ``rss_requests``/``api_requests`` filter them;
  ``api_ids(request)`` gives the ids of an ``id_list`` request.
- ``papers`` -- ``{bare id: FakePaper}`` known to the API; ``feeds`` -- ``{category: Feed}``;
  ``day`` -- the date of feeds made by ``set_day``/unknown categories.
- ``settings(**overrides)`` -- ``load_settings`` pointed here: ``delay_seconds=0``,
  ``backoff_seconds=0.01``, ``retries=2``, ``http_timeout=1``, ``categories`` = the server's
  feeds, sorted (cs.AI, cs.CL, cs.LG unless changed); any keyword overrides these.
- ``env()`` -- the same as environment variables, for a subprocess (``arxiv-digest fetch``).

Content:

- ``add_papers(papers)`` -- register :class:`FakePaper` records with the API.
- ``set_feed(category, items, day=None)`` -- replace a feed; ``items`` are :class:`FeedItem` or
  :class:`FakePaper` (announced ``new``); the papers are registered with the API too.
- ``set_day(day, feeds=None)`` -- a whole listing day: ``feeds`` maps category to items; every
  other category (and every recorded one) becomes empty and dated ``day``. ``set_day(saturday)``
  is a no-announcement day.
- ``synthetic_papers(n, category=..., start=1)`` (module function) makes distinct papers.
- ``cross_listing_variant()`` -- the recorded day plus: a ``cross`` item, a ``replace`` and a
  ``replace-cross`` item, and one paper (``2604.90001``) listed in all three feeds (``new`` in
  cs.LG, ``cross`` in cs.AI and cs.CL). Returns that paper.
- ``capped_feed(category, n=2000)`` -- a feed of ``n`` synthetic items.

Faults (queued per request path, consumed one per request, ``times`` each; afterwards the normal
answer). ``path`` is the request path, e.g. ``"/rss/cs.AI"`` or ``API_PATH``; ``"*"`` matches any.

- ``fail(path, status, times=1, retry_after=None, body=b"")`` -- status code, with a
  ``Retry-After`` header (seconds as a number, or any string such as an HTTP date).
- ``hang(path, times=1, seconds=10)`` -- accept, read the request, never answer (until
  ``seconds`` pass or the server stops).
- ``truncate(path, times=1)`` -- 200 with the first half of the normal body.
- ``trickle(path, times=1, interval=0.1, headers=False)`` -- 200 with the normal body, sent one
  byte every ``interval`` seconds (a per-read timeout never fires); after prompt headers, or
  with ``headers`` the status line and headers too.
- ``html(path, times=1)`` -- 200 with an HTML error page (``text/html``).
- ``zero_entries(times=1)`` -- the API answers with no entry (``totalResults`` 0).
- ``drop_ids(ids, times=1)`` -- the API leaves out these ids (``totalResults`` counts the rest).
"""

from __future__ import annotations

import re
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from .arxiv_feeds import (
    RECORDED_DAY,
    FakePaper,
    Feed,
    FeedItem,
    bare_id,
    is_valid_id,
    load_recorded_feeds,
    load_recorded_papers,
    render_atom,
    render_atom_error,
    render_rss,
    synthetic_papers,
)

__all__ = ["ArxivServer", "FakePaper", "Feed", "FeedItem", "Request", "arxiv_server",
           "synthetic_papers", "RECORDED_DAY"]

API_PATH = "/api/query"
_HTML = b"<!DOCTYPE html><html><head><title>503 Service Unavailable</title></head>" \
        b"<body><h1>Service Unavailable</h1><p>Please try again later.</p></body></html>"


@dataclass
class Request:
    """One HTTP request as the server saw it."""

    method: str
    path: str
    query: dict[str, str]
    """Query parameters (first value of each, blank values kept)."""
    time: float
    """``time.monotonic()`` at arrival."""
    status: int | None = None
    """Status sent (None while hanging or if never answered)."""


@dataclass
class _Fault:
    kind: str
    status: int = 200
    retry_after: str | None = None
    body: bytes = b""
    seconds: float = 10.0
    ids: frozenset[str] = field(default_factory=frozenset)
    headers: bool = False


class ArxivServer:
    """A real HTTP server on 127.0.0.1 (ephemeral port), serving in a background thread."""

    API_PATH = API_PATH

    def __init__(self) -> None:
        self.papers: dict[str, FakePaper] = load_recorded_papers()
        self.feeds: dict[str, Feed] = load_recorded_feeds()
        self.day: date = RECORDED_DAY
        self.requests: list[Request] = []
        self._faults: dict[str, deque[_Fault]] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._httpd.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self.rss_url = self.base_url + "/rss/{category}"
        self.api_url = self.base_url + API_PATH
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,),
                                        daemon=True)

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> ArxivServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()  # releases hanging handlers
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(5)

    def __enter__(self) -> ArxivServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def settings(self, **overrides: Any) -> Any:
        """Settings pointed at this server: no delay, tiny backoff, short timeout, 2 retries."""
        from arxiv_digest.config import load_settings

        values: dict[str, Any] = {
            "rss_url": self.rss_url, "api_url": self.api_url, "delay_seconds": 0.0,
            "backoff_seconds": 0.01, "retries": 2, "http_timeout": 1.0,
            "categories": tuple(sorted(self.feeds)),
        }
        values.update(overrides)
        return load_settings(**values)

    def env(self) -> dict[str, str]:
        """Environment variables pointing a subprocess at this server, with no delay."""
        return {"ARXIV_RSS_URL": self.rss_url, "ARXIV_API_URL": self.api_url,
                "ARXIV_DELAY_SECONDS": "0", "DIGEST_BACKOFF_SECONDS": "0.01",
                "DIGEST_RETRIES": "2", "DIGEST_HTTP_TIMEOUT": "2",
                "DIGEST_CATEGORIES": ",".join(sorted(self.feeds))}

    # -- request log ---------------------------------------------------------------------

    @property
    def rss_requests(self) -> list[Request]:
        return [r for r in self.requests if r.path.startswith("/rss/")]

    @property
    def api_requests(self) -> list[Request]:
        return [r for r in self.requests if r.path == API_PATH]

    @staticmethod
    def api_ids(request: Request) -> list[str]:
        return [i for i in request.query.get("id_list", "").split(",") if i]

    # -- content -------------------------------------------------------------------------

    def add_papers(self, papers: Iterable[FakePaper]) -> None:
        with self._lock:
            for paper in papers:
                self.papers[paper.arxiv_id] = paper

    def set_feed(self, category: str, items: Iterable[FeedItem | FakePaper],
                 day: date | None = None) -> Feed:
        feed_items = [i if isinstance(i, FeedItem) else FeedItem(i) for i in items]
        self.add_papers(i.paper for i in feed_items)
        feed = Feed(day=day or self.day, items=feed_items)
        with self._lock:
            self.feeds[category] = feed
        return feed

    def set_day(self, day: date, feeds: dict[str, Iterable[FeedItem | FakePaper]] | None = None
                ) -> None:
        self.day = day
        for category in list(self.feeds):
            self.set_feed(category, [], day)
        for category, items in (feeds or {}).items():
            self.set_feed(category, items, day)

    def cross_listing_variant(self) -> FakePaper:
        recorded = load_recorded_feeds()
        (shared,) = synthetic_papers(1, category="cs.LG")
        shared.categories = ["cs.LG", "cs.AI", "cs.CL"]
        cross, replaced, replaced_cross = synthetic_papers(3, category="cs.CV", start=2)
        replaced.version, replaced_cross.version = 3, 2
        self.set_feed("cs.LG", [FeedItem(shared)] + recorded["cs.LG"].items
                      + [FeedItem(replaced, "replace")])
        self.set_feed("cs.AI", recorded["cs.AI"].items + [FeedItem(shared, "cross"),
                      FeedItem(cross, "cross"), FeedItem(replaced_cross, "replace-cross")])
        self.set_feed("cs.CL", recorded["cs.CL"].items + [FeedItem(shared, "cross")])
        return shared

    def capped_feed(self, category: str, n: int = 2000) -> Feed:
        return self.set_feed(category, synthetic_papers(n, category=category, prefix="2604."))

    # -- faults --------------------------------------------------------------------------

    def _queue(self, path: str, fault: _Fault, times: int) -> None:
        with self._lock:
            self._faults.setdefault(path, deque()).extend([fault] * times)

    def fail(self, path: str, status: int, *, times: int = 1,
             retry_after: float | str | None = None, body: bytes = b"") -> None:
        ra = None if retry_after is None else (
            f"{retry_after:g}" if isinstance(retry_after, int | float) else retry_after)
        self._queue(path, _Fault("status", status=status, retry_after=ra, body=body), times)

    def hang(self, path: str, *, times: int = 1, seconds: float = 10.0) -> None:
        self._queue(path, _Fault("hang", seconds=seconds), times)

    def trickle(self, path: str, *, times: int = 1, interval: float = 0.1,
                headers: bool = False) -> None:
        self._queue(path, _Fault("trickle", seconds=interval, headers=headers), times)

    def truncate(self, path: str, *, times: int = 1) -> None:
        self._queue(path, _Fault("truncate"), times)

    def html(self, path: str, *, times: int = 1) -> None:
        self._queue(path, _Fault("html"), times)

    def zero_entries(self, *, times: int = 1) -> None:
        self._queue(API_PATH, _Fault("zero"), times)

    def drop_ids(self, ids: Iterable[str], *, times: int = 1) -> None:
        self._queue(API_PATH, _Fault("drop", ids=frozenset(ids)), times)

    def _next_fault(self, path: str) -> _Fault | None:
        with self._lock:
            for key in (path, "*"):
                if self._faults.get(key):
                    return self._faults[key].popleft()
        return None

    # -- answers -------------------------------------------------------------------------

    def _answer(self, path: str, query: dict[str, str], fault: _Fault | None
                ) -> tuple[int, str, bytes]:
        if path.startswith("/rss/"):
            category = path[len("/rss/"):]
            with self._lock:
                feed = self.feeds.get(category) or Feed(day=self.day)
            return 200, "application/rss+xml; charset=utf-8", render_rss(category, feed)
        if path == API_PATH:
            return self._api(query, fault)
        return 404, "text/plain", b"not found"

    def _api(self, query: dict[str, str], fault: _Fault | None) -> tuple[int, str, bytes]:
        atom = "application/atom+xml; charset=utf-8"
        ids = [i for i in query.get("id_list", "").split(",") if i]
        for arxiv_id in ids:
            if not is_valid_id(arxiv_id):
                return 400, atom, render_atom_error(f"incorrect id format for {arxiv_id}")
        with self._lock:
            if ids:
                found = [self.papers[bare_id(i)] for i in ids if bare_id(i) in self.papers]
            else:
                found = _search(list(self.papers.values()), query)
        if fault is not None and fault.kind == "zero":
            found = []
        if fault is not None and fault.kind == "drop":
            found = [p for p in found if p.arxiv_id not in fault.ids]
        start = int(query.get("start") or 0)
        per_page = int(query.get("max_results") or 10)
        title = "&".join(f"{k}={v}" for k, v in query.items())
        body = render_atom(found[start:start + per_page], title=title, total=len(found),
                           start=start, per_page=per_page)
        return 200, atom, body


_CAT = re.compile(r"cat:([\w.\-]+)")
_WINDOW = re.compile(r"submittedDate:\[(\d{12}) TO (\d{12})\]")


def _search(papers: list[FakePaper], query: dict[str, str]) -> list[FakePaper]:
    text = query.get("search_query", "")
    cats = set(_CAT.findall(text))
    window = _WINDOW.search(text)
    if not cats and not window:
        return []
    if cats:
        papers = [p for p in papers if cats & set(p.categories)]
    if window:
        lo, hi = (datetime.strptime(w, "%Y%m%d%H%M").replace(tzinfo=UTC)
                  for w in window.groups())
        # arXiv's bounds are minutes, inclusive: hi covers its whole minute.
        papers = [p for p in papers if lo <= p.published.replace(second=0, microsecond=0) <= hi]
    key = (lambda p: p.updated or p.published) if query.get("sortBy") == "lastUpdatedDate" \
        else (lambda p: p.published)
    return sorted(papers, key=key, reverse=query.get("sortOrder") != "ascending")


def _handler(server: ArxivServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # quiet test output
            pass

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
            record = Request("GET", url.path, query, time.monotonic())
            with server._lock:
                server.requests.append(record)
            fault = server._next_fault(url.path)
            if fault is not None and fault.kind == "hang":
                server._stop.wait(fault.seconds)
                self.close_connection = True
                return
            headers: dict[str, str] = {}
            if fault is not None and fault.kind == "status":
                status, ctype, body = fault.status, "text/plain", fault.body
                if fault.retry_after is not None:
                    headers["Retry-After"] = fault.retry_after
            elif fault is not None and fault.kind == "html":
                status, ctype, body = 200, "text/html; charset=utf-8", _HTML
            else:
                status, ctype, body = server._answer(url.path, query, fault)
                if fault is not None and fault.kind == "truncate":
                    body = body[: len(body) // 2]
            record.status = status
            try:
                if fault is not None and fault.kind == "trickle" and fault.headers:
                    head = (f"HTTP/1.1 {status} OK\r\nContent-Type: {ctype}\r\n"
                            f"Content-Length: {len(body)}\r\n\r\n").encode()
                    self._drip(head + body, fault.seconds)
                    return
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                if fault is not None and fault.kind == "trickle":
                    self.wfile.flush()
                    self._drip(body, fault.seconds)
                else:
                    self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (e.g. its timeout fired)

        def _drip(self, data: bytes, interval: float) -> None:
            """Send ``data`` one byte every ``interval`` seconds (until the server stops)."""
            for index in range(len(data)):
                if server._stop.wait(interval):
                    return
                self.wfile.write(data[index:index + 1])
                self.wfile.flush()

    return Handler


@pytest.fixture
def arxiv_server() -> Iterator[ArxivServer]:
    """A running :class:`ArxivServer` for one test."""
    with ArxivServer() as server:
        yield server
