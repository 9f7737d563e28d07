"""The one way a run talks to arXiv: one session, one pacer, one retry policy, deadlines."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from typing import Any
from xml.etree import ElementTree

import requests
import urllib3

from ..config import Settings
from ..errors import DigestError
from ..retry import Deadline, Retry, RetryPolicy, retry_after_seconds

USER_AGENT = "arxiv-digest/0.1 (+https://github.com/; daily digest of arXiv listings)"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_CHUNK = 65536


class Pacer:
    """Keeps successive requests at least ``delay`` seconds apart (end of one to start of next)."""

    def __init__(self, delay: float):
        self.delay = delay
        self._last: float | None = None

    def wait(self) -> None:
        """Sleep until ``delay`` has passed since the last request."""
        if self._last is not None:
            pause = self.delay - (time.monotonic() - self._last)
            if pause > 0:
                time.sleep(pause)

    def done(self) -> None:
        """Mark the end of a request."""
        self._last = time.monotonic()


class ArxivHttp:
    """GET requests to arXiv (feeds and API) for a whole run: ``with ArxivHttp(settings) as h``.

    Every request waits for the pacer (arXiv asks for one request every three seconds), has a
    timeout per read and a deadline for the whole answer, and is retried by one policy that
    honours Retry-After. Failures end as one DigestError naming the URL and the attempts.
    """

    def __init__(self, settings: Settings, session: requests.Session | None = None):
        self.settings = settings
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT
        self.pacer = Pacer(settings.delay_seconds)
        self.policy = RetryPolicy.of(settings, min_pause=settings.delay_seconds)
        self.requests_made = 0
        """HTTP requests sent so far (every page and every retry)."""

    def get(self, url: str, *, what: str, params: Mapping[str, str] | None = None,
            rejected: Callable[[int, bytes], DigestError | None] | None = None,
            valid: Callable[[bytes], str | None] | None = None) -> bytes:
        """The body of a 200 answer to GET ``url``; retries 429/5xx, timeouts, cut answers.

        ``what`` names the resource in errors (``cs.AI feed``). ``rejected(status, body)`` may
        turn a status that is not retried into a clearer error than ``HTTP <status>``;
        ``valid(body)`` may find a 200 answer unusable (a problem to retry, or None).
        """
        full = requests.Request("GET", url, params=params).prepare().url or url
        return self.policy.run(lambda: self._attempt(full, what, rejected, valid), what=what,
                               where=full)

    def _attempt(self, url: str, what: str,
                 rejected: Callable[[int, bytes], DigestError | None] | None,
                 valid: Callable[[bytes], str | None] | None) -> bytes:
        self.pacer.wait()
        self.requests_made += 1
        timeout = self.settings.http_timeout
        try:
            status, headers, body = self._download(url)
        except (requests.Timeout, urllib3.exceptions.TimeoutError):
            raise Retry(f"no answer within {timeout:g} s") from None
        except (requests.ConnectionError, urllib3.exceptions.HTTPError) as err:
            # urllib3's own errors: the body is read from the raw response (see _download).
            raise Retry(f"connection failed ({type(err).__name__})") from None
        finally:
            self.pacer.done()  # counts failed requests too: the pause applies to every request
        if status == 200:
            problem = valid(body) if valid is not None else None
            if problem is not None:
                raise Retry(problem)
            return body
        if status in RETRY_STATUSES:
            raise Retry(f"HTTP {status}", retry_after_seconds(_lower(headers)))
        error = rejected(status, body) if rejected is not None else None
        raise error or DigestError(f"{what}: HTTP {status}", where=url)

    def _download(self, url: str) -> tuple[int, Mapping[str, str], bytes]:
        """Status, headers and body of GET ``url`` within the deadline.

        The request runs on a thread of its own, so that the deadline also bounds a server
        that trickles its status line and headers (no socket timeout can: each byte comes in
        time). A thread past the deadline is left to end (its reads stop at the deadline, or
        when the server closes); it holds nothing the run needs.
        """
        deadline = Deadline(self.settings.http_deadline)
        outcome: list[Any] = []
        worker = threading.Thread(target=self._read_into, args=(url, deadline, outcome),
                                  name="arxiv-request", daemon=True)
        worker.start()
        worker.join(deadline.remaining())
        if not outcome:
            raise Retry(f"answer not complete within the deadline of {deadline.seconds:g} s")
        if isinstance(outcome[0], BaseException):
            raise outcome[0]
        return outcome[0]  # type: ignore[no-any-return]

    def _read_into(self, url: str, deadline: Deadline, outcome: list[Any]) -> None:
        try:
            outcome.append(self._read(url, deadline))
        except BaseException as err:  # handed to the waiting thread, which raises it
            outcome.append(err)

    def _read(self, url: str, deadline: Deadline) -> tuple[int, Mapping[str, str], bytes]:
        timeout = min(self.settings.http_timeout, self.settings.http_deadline)
        with self.session.get(url, timeout=timeout, stream=True) as response:
            chunks = []
            while True:
                # read1: what has arrived (a trickle comes a byte at a time), so the deadline
                # is checked between reads and not only when a large read is complete.
                chunk = response.raw.read1(_CHUNK, decode_content=True)
                if not chunk:
                    break
                chunks.append(chunk)
                if deadline.passed:
                    raise Retry(f"answer not complete within the deadline of "
                                f"{deadline.seconds:g} s")
            return response.status_code, response.headers, b"".join(chunks)

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> ArxivHttp:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def well_formed(body: bytes) -> str | None:
    """None for well-formed XML; else what is wrong (a 200 answer can be cut mid-way)."""
    try:
        ElementTree.fromstring(body)
    except ElementTree.ParseError as err:
        return f"malformed XML answer ({err})"
    return None


def _lower(headers: Mapping[str, str]) -> dict[str, str]:
    return {name.lower(): value for name, value in headers.items()}
