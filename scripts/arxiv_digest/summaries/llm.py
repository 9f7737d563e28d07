"""Chat completions with explicit retries, Retry-After, a run-wide circuit breaker and a cache."""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx2
import openai

from ..config import Settings
from ..errors import DigestError, redact
from ..pages.frontmatter import clean
from ..pages.store import write_atomic
from ..retry import Deadline, Retry, RetryPolicy, retry_after_seconds

DEFAULT_BASE_URL = "https://api.openai.com/v1"
logger = logging.getLogger(__name__)
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
    """The OpenAI client for ``settings``; retries are ours (``max_retries=0``).

    Its transport gives every request a deadline (``http_deadline``): the SDK's timeout, like
    any socket timeout, applies per read, and a server sending a byte a second never hits it.
    """
    timeout = min(settings.http_timeout, settings.http_deadline)
    return openai.OpenAI(
        base_url=settings.openai_base_url,
        api_key=settings.openai_api_key,
        timeout=timeout,
        max_retries=0,
        http_client=_HttpClient(
            timeout=timeout, follow_redirects=True,
            transport=_DeadlineTransport(settings.http_deadline),
        ),
    )


class _HttpClient(httpx2.Client):
    """An HTTP client for the SDK, closed when dropped (as the SDK's own default one is)."""

    def __del__(self) -> None:
        if not self.is_closed:
            self.close()


class _DeadlineTransport(httpx2.HTTPTransport):
    """HTTP transport that gives up on an answer not complete by the deadline.

    The request runs on a thread of its own, so that the deadline also bounds a server that
    trickles its headers; the body is read there, checking the deadline between reads (a
    thread past it ends at its next read). Answers are read whole: the SDK streams none here.
    """

    def __init__(self, seconds: float):
        super().__init__()
        self.seconds = seconds

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        deadline = Deadline(self.seconds)
        outcome: list[Any] = []
        worker = threading.Thread(target=self._read_into, args=(request, deadline, outcome),
                                  name="model-request", daemon=True)
        worker.start()
        worker.join(deadline.remaining())
        if not outcome:
            # A timeout as the SDK knows it: retried like a silent server's.
            raise httpx2.ReadTimeout(f"answer not complete within the deadline of "
                                     f"{self.seconds:g} s", request=request)
        if isinstance(outcome[0], BaseException):
            raise outcome[0]
        response, content = outcome[0]
        return httpx2.Response(status_code=response.status_code, headers=response.headers,
                               content=content, extensions=response.extensions, request=request)

    def _read_into(self, request: httpx2.Request, deadline: Deadline,
                   outcome: list[Any]) -> None:
        try:
            response = super().handle_request(request)
            try:
                chunks = []
                for chunk in response.stream:
                    chunks.append(chunk)
                    if deadline.passed:
                        raise httpx2.ReadTimeout("past the deadline", request=request)
            finally:
                response.close()
            outcome.append((response, b"".join(chunks)))
        except BaseException as err:  # handed to the waiting thread, which raises it
            outcome.append(err)


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
        self.policy = RetryPolicy.of(settings, jitter=True)

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
        """The answer's text; raises CallFailed after the budget, DigestError on a bad key.

        Retried by the run's one retry policy (a paper falls back when Retry-After is too long:
        waiting less than asked would break the server's terms).
        """
        return self.policy.run(lambda: self._attempt(messages), what="model", where=self.where,
                               wait=self._wait, fail=CallFailed)

    def _attempt(self, messages: list[dict[str, str]]) -> str:
        if self.stopped.is_set() or self.open_circuit:
            raise CallFailed("not attempted: the server failed for several papers in a row")
        self.stats.add(calls=1)
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
            raise Retry(f"HTTP {err.status_code}",
                        retry_after_seconds(err.response.headers)) from None
        except openai.APITimeoutError:
            raise Retry(f"no answer within {self.settings.http_timeout:g} s "
                        f"(or not all of it within {self.settings.http_deadline:g} s)") from None
        except openai.APIConnectionError:
            raise Retry("connection failed") from None
        except (openai.APIResponseValidationError, ValueError):
            raise Retry("malformed answer") from None  # e.g. a proxy's half-written JSON
        text = self._text_of(response)
        if text is None:
            raise Retry("malformed answer")  # e.g. a proxy's HTML page with status 200
        return clean(text)  # the model's text enters the pages: XML-safe, once

    def _wait(self, seconds: float) -> None:
        if self.stopped.wait(seconds):
            raise CallFailed("stopped")

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

    def _fatal(self, message: str) -> DigestError:
        where = redact(self.where, self.settings.openai_api_key)
        return DigestError(redact(message, self.settings.openai_api_key), where=where)
