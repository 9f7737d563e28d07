"""One retry policy for every request of a run (arXiv's feeds and API, the model).

Exponential backoff, never shorter than the server's Retry-After; a Retry-After longer than
:data:`MAX_RETRY_AFTER` is not waited for; every request has a total deadline as well as a
timeout per read, so a server that trickles its answer costs at most deadline x attempts.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TypeVar

from .config import Settings
from .errors import DigestError

T = TypeVar("T")

MAX_RETRY_AFTER = 120.0
"""A server asking to wait longer than this (seconds) is not waited for: the request fails."""


class Retry(Exception):
    """One attempt failed in a way worth retrying; ``problem`` says how (for the last error)."""

    def __init__(self, problem: str, retry_after: float | None = None):
        super().__init__(problem)
        self.problem = problem
        self.retry_after = retry_after


def retry_after_seconds(headers: Mapping[str, str]) -> float | None:
    """Seconds the server asks to wait: ``retry-after-ms``, or ``Retry-After`` as delta-seconds
    or an HTTP date; None when absent or unreadable."""
    milliseconds = headers.get("retry-after-ms")
    if milliseconds is not None:
        try:
            return max(0.0, float(milliseconds) / 1000)
        except ValueError:
            pass
    value = (headers.get("retry-after") or "").strip()
    if not value:
        return None
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


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently a request is tried."""

    attempts: int
    """Tries in all (the first and the retries)."""
    backoff_seconds: float
    """Pause after the first failure; doubled after each further one."""
    min_pause: float = 0.0
    """No pause is shorter (arXiv: its delay between requests)."""
    jitter: bool = False
    """Up to 10% longer pauses, so concurrent workers do not retry in lockstep."""

    @classmethod
    def of(cls, settings: Settings, *, min_pause: float = 0.0, jitter: bool = False
           ) -> RetryPolicy:
        return cls(settings.retries + 1, settings.backoff_seconds, min_pause, jitter)

    def pause(self, failures: int, retry_after: float | None) -> float | None:
        """Pause after the ``failures``-th failure (1-based); None if Retry-After is too long."""
        if retry_after is not None and retry_after > MAX_RETRY_AFTER:
            return None
        pause = self.backoff_seconds * 2 ** (failures - 1)
        if self.jitter:
            pause *= 1 + random.random() / 10
        return max(pause, retry_after or 0.0, self.min_pause)

    def run(self, attempt: Callable[[], T], *, what: str, where: str,
            wait: Callable[[float], object] = time.sleep,
            fail: Callable[[str], Exception] | None = None) -> T:
        """``attempt()`` until it returns; it raises :class:`Retry` for a failure worth retrying.

        At the end, or on a Retry-After too long to wait for, raises ``fail(message)`` (default:
        a DigestError naming ``what`` and the URL ``where``). ``wait`` sleeps between attempts.
        """
        fail = fail or (lambda message: DigestError(f"{what}: {message}", where=where))
        for number in range(1, self.attempts + 1):
            try:
                return attempt()
            except Retry as retry:
                problem, retry_after = retry.problem, retry.retry_after
            pause = self.pause(number, retry_after)
            if pause is None:
                raise fail(f"{problem}, and the server asks to retry after "
                           f"{retry_after:.0f} s; try again later")
            if number < self.attempts:
                wait(pause)
        raise fail(f"{problem} after {self.attempts} attempts")


class Deadline:
    """The moment by which a whole request (connect, headers, every byte) must be done."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self._end = time.monotonic() + seconds

    @property
    def passed(self) -> bool:
        return time.monotonic() > self._end

    def remaining(self) -> float:
        return max(0.0, self._end - time.monotonic())
