"""Chat completions with explicit retries, Retry-After, a run-wide circuit breaker and a cache."""

from __future__ import annotations

import hashlib
import json
import logging
import random
import threading
import time
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import openai

from ..config import Settings
from ..errors import DigestError, redact
from ..pages.store import write_atomic

DEFAULT_BASE_URL = "https://api.openai.com/v1"
logger = logging.getLogger(__name__)
# A Retry-After longer than this is not waited for: that paper falls back instead of stalling
# the whole run (waiting less than asked would break the server's terms).
MAX_RETRY_AFTER = 120.0
# Statuses worth retrying: rate limits, timeouts, conflicts and server-side failures.
_RETRYABLE = {408, 409, 429}


class CallFailed(Exception):
    """A request that failed after its retry budget, or could not succeed (e.g. HTTP 400)."""


@dataclass
class Stats:
    """What a run cost; ``seconds`` is wall time spent inside ``summarize_many``."""

    calls: int = 0
    """Chat requests sent, retries and re-asks included."""
    cached: int = 0
    """Answers taken from the cache (no request)."""
    summarized: int = 0
    """Papers summarized by the model in this run (not from the cache)."""
    extractive: int = 0
    """Papers given the offline extractive summary (no key, or after a failure)."""
    failures: int = 0
    """Papers whose requests failed after the retry budget or gave no three bullets twice."""
    reasked: int = 0
    """Papers asked again because a bullet failed the grounding check."""
    repaired: int = 0
    """Of those, papers whose one failing bullet became a sentence of the abstract."""
    ungrounded: int = 0
    """Of those, papers given the extractive summary (two or three bullets failed twice)."""
    tokens_in: int = 0
    tokens_out: int = 0
    seconds: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def add(self, **amounts: float) -> None:
        with self._lock:
            for name, amount in amounts.items():
                setattr(self, name, getattr(self, name) + amount)

    def as_dict(self) -> dict[str, float]:
        return {k: v for k, v in vars(self).items() if not k.startswith("_")}


def cache_key(*parts: object) -> str:
    """sha256 over the JSON of ``parts`` (id, version, model, prompt text...)."""
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode("utf-8")).hexdigest()


class Cache:
    """One JSON file per answer, ``<cache_dir>/llm/<key[:2]>/<key>.json``, written atomically."""

    def __init__(self, directory: Path):
        self.directory = Path(directory) / "llm"

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict[str, Any] | None:
        try:
            value = json.loads(self._path(key).read_text("utf-8"))
        except (OSError, ValueError):
            return None  # missing or damaged: ask again, the new answer replaces it
        return value if isinstance(value, dict) else None

    def put(self, key: str, value: dict[str, Any]) -> None:
        text = json.dumps(value, ensure_ascii=False, sort_keys=True) + "\n"
        try:
            write_atomic(self._path(key), text)
        except (DigestError, OSError) as err:
            # The answer is still used; only a rerun will pay for it again.
            logger.warning("could not cache an LLM answer: %s", err)


def make_client(settings: Settings) -> openai.OpenAI:
    """The OpenAI client for ``settings``; retries are ours (``max_retries=0``)."""
    return openai.OpenAI(
        base_url=settings.openai_base_url,
        api_key=settings.openai_api_key,
        timeout=settings.http_timeout,
        max_retries=0,
    )


def _retry_after(err: openai.APIStatusError) -> float | None:
    """Seconds the server asked to wait (``retry-after-ms``, ``retry-after`` secs or HTTP date)."""
    headers = err.response.headers
    try:
        if "retry-after-ms" in headers:
            return float(headers["retry-after-ms"]) / 1000
        raw = headers.get("retry-after")
        if raw is None:
            return None
        try:
            return max(0.0, float(raw))
        except ValueError:
            return max(0.0, parsedate_to_datetime(raw).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


class ChatCaller:
    """Sends chat requests within the retry budget; shared by every worker thread of a run."""

    def __init__(self, settings: Settings, client: openai.OpenAI, stats: Stats):
        self.settings = settings
        self.client = client
        self.stats = stats
        self.stopped = threading.Event()
        """Set on a fatal error: other workers stop retrying."""
        self._failed_in_a_row = 0
        self._lock = threading.Lock()

    @property
    def where(self) -> str:
        return self.settings.openai_base_url or DEFAULT_BASE_URL

    @property
    def open_circuit(self) -> bool:
        """True once so many papers failed in a row that the server is plainly down."""
        return self._failed_in_a_row >= max(3, self.settings.concurrency)

    def record(self, ok: bool) -> None:
        with self._lock:
            self._failed_in_a_row = 0 if ok else self._failed_in_a_row + 1

    def complete(self, messages: list[dict[str, str]]) -> str:
        """The answer's text; raises CallFailed after the budget, DigestError on a bad key."""
        attempt = 0
        while True:
            if self.stopped.is_set() or self.open_circuit:
                raise CallFailed("not attempted: the server failed for several papers in a row")
            self.stats.add(calls=1)
            retry_after = None
            try:
                # No temperature or max_tokens: reasoning models reject them with HTTP 400,
                # and the prompt alone keeps the answer short.
                response = self.client.chat.completions.create(
                    model=self.settings.model,
                    messages=messages,  # type: ignore[arg-type]
                )
            except (openai.AuthenticationError, openai.PermissionDeniedError) as err:
                self.stopped.set()
                raise self._fatal(f"the server rejected the API key (HTTP {err.status_code}); "
                                  "check OPENAI_API_KEY") from None
            except openai.NotFoundError:
                self.stopped.set()
                raise self._fatal(f"model {self.settings.model!r} not found (HTTP 404); "
                                  "check DIGEST_MODEL and OPENAI_BASE_URL") from None
            except openai.APIStatusError as err:
                if err.status_code not in _RETRYABLE and err.status_code < 500:
                    raise CallFailed(f"HTTP {err.status_code}") from None
                reason, retry_after = f"HTTP {err.status_code}", _retry_after(err)
            except openai.APITimeoutError:
                reason = f"no answer within {self.settings.http_timeout:g} s"
            except openai.APIConnectionError:
                reason = "connection failed"
            except (openai.APIResponseValidationError, ValueError):
                reason = "malformed answer"  # e.g. a proxy's half-written JSON
            else:
                text = self._text_of(response)
                if text is not None:
                    return text
                reason = "malformed answer"  # e.g. a proxy's HTML page with status 200
            wait = self._backoff(attempt, retry_after)
            if wait is None:
                raise CallFailed(f"{reason}, Retry-After {retry_after:g} s is too long")
            if attempt >= self.settings.retries:
                raise CallFailed(f"{reason} after {attempt + 1} attempts")
            if self.stopped.wait(wait):
                raise CallFailed("stopped")
            attempt += 1

    def _text_of(self, response: object) -> str | None:
        """The first choice's text (counting tokens), or None if this is no chat completion."""
        choices = getattr(response, "choices", None)
        if not isinstance(choices, list):
            return None
        usage = getattr(response, "usage", None)
        if usage is not None:
            self.stats.add(tokens_in=usage.prompt_tokens or 0,
                           tokens_out=usage.completion_tokens or 0)
        message = getattr(choices[0], "message", None) if choices else None
        return str(getattr(message, "content", None) or "")

    def _backoff(self, attempt: int, retry_after: float | None) -> float | None:
        """Pause before the next attempt; never shorter than Retry-After, None if too long."""
        if retry_after is not None and retry_after > MAX_RETRY_AFTER:
            return None
        # Up to 10% jitter (only ever longer) keeps concurrent workers from retrying in lockstep.
        pause = self.settings.backoff_seconds * 2**attempt * (1 + random.random() / 10)
        return max(pause, retry_after or 0.0)

    def _fatal(self, message: str) -> DigestError:
        where = redact(self.where, self.settings.openai_api_key)
        return DigestError(redact(message, self.settings.openai_api_key), where=where)
