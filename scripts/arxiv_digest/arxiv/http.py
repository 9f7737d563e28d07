"""Polite HTTP to arXiv: a pause between requests, retries with backoff that honours Retry-After."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import requests

from ..config import Settings
from ..errors import DigestError

USER_AGENT = "arxiv-digest/0.1 (+https://github.com/; daily digest of arXiv listings)"
MAX_RETRY_AFTER = 600.0
"""A server asking us to wait longer than this (seconds) ends the run instead of stalling it."""
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class Pacer:
    """Keeps successive requests at least ``delay`` seconds apart (end of one to start of next)."""

    def __init__(self, delay: float):
        self.delay = delay
        self._last: float | None = None

    def wait(self, at_least: float = 0.0) -> None:
        """Sleep until ``delay`` has passed since the last request, and at least ``at_least``."""
        pause = at_least
        if self._last is not None:
            pause = max(pause, self.delay - (time.monotonic() - self._last))
        if pause > 0:
            time.sleep(pause)

    def done(self) -> None:
        """Mark the end of a request."""
        self._last = time.monotonic()


def retry_after_seconds(value: str | None) -> float | None:
    """Seconds a ``Retry-After`` header asks for (delta-seconds or HTTP date); None if absent."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def backoff(settings: Settings, attempt: int, retry_after: float | None) -> float:
    """Pause before retry number ``attempt`` (1-based): exponential, never below Retry-After."""
    pause = settings.backoff_seconds * 2 ** (attempt - 1)
    return max(pause, retry_after or 0.0, settings.delay_seconds)


def check_retry_after(retry_after: float | None, where: str) -> None:
    """Refuse to sleep for an unreasonable Retry-After."""
    if retry_after is not None and retry_after > MAX_RETRY_AFTER:
        raise DigestError(f"server asks to retry after {retry_after:.0f} s; try again later",
                          where=where)


def get_with_retries(session: requests.Session, url: str, settings: Settings, pacer: Pacer,
                     *, what: str) -> requests.Response:
    """GET ``url``; retry 429/5xx, timeouts and connection errors; raise DigestError at the end.

    ``what`` names the resource in errors (e.g. "cs.AI feed"); the URL is the error's ``where``.
    """
    attempts = settings.retries + 1
    pause = 0.0
    for attempt in range(1, attempts + 1):
        pacer.wait(pause)
        try:
            response = session.get(url, timeout=settings.http_timeout,
                                   headers={"User-Agent": USER_AGENT})
        except requests.Timeout:
            problem, retry_after = f"no answer within {settings.http_timeout:g} s", None
        except requests.ConnectionError as err:
            problem, retry_after = f"connection failed ({type(err).__name__})", None
        else:
            if response.status_code == 200:
                return response
            problem = f"HTTP {response.status_code}"
            if response.status_code not in RETRY_STATUSES:
                raise DigestError(f"{what}: {problem}", where=url)
            retry_after = retry_after_seconds(response.headers.get("Retry-After"))
            check_retry_after(retry_after, url)
        finally:
            pacer.done()  # counts failed requests too: the pause applies to every request
        pause = backoff(settings, attempt, retry_after)
    raise DigestError(f"{what}: {problem} (after {attempts} attempts)", where=url)
