"""Three-bullet paper summaries from any OpenAI-compatible chat model, with an offline fallback."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from dataclasses import dataclass

import openai

from ..config import Settings
from ..pages.schema import EXTRACTIVE
from .extractive import clean_bullet, extractive_summary, parse_answer
from .llm import Cache, CallFailed, ChatCaller, Stats, cache_key, make_client

__all__ = [
    "Summarizer", "SummaryRequest", "Summary", "Stats", "extractive_summary", "SYSTEM_PROMPT",
]

SYSTEM_PROMPT = (
    "You summarize arXiv papers on efficient deep learning for busy machine-learning engineers. "
    "Answer with exactly three bullet points and nothing else: three lines, each starting with "
    "'- ', each one plain sentence of at most 30 words. First bullet: the problem. Second: the "
    "method. Third: the main result, with numbers when the abstract gives them. Do not start "
    "with 'This paper'; no headings, no preamble, no Markdown other than the bullets."
)
RETRY_PROMPT = (
    "That was not exactly three bullet points. Answer again with exactly three lines, "
    "each starting with '- ', and nothing else."
)



@dataclass(frozen=True)
class SummaryRequest:
    """One paper to summarize."""

    arxiv_id: str
    """Bare arXiv id (no version)."""
    version: int | None
    """Version the abstract belongs to; a new version gets a new summary."""
    title: str
    abstract: str


@dataclass(frozen=True)
class Summary:
    """The bullets of one paper and who wrote them."""

    bullets: list[str]
    """Three cleaned one-line bullets (fewer only for a very short extractive abstract)."""
    by: str
    """The model name, or ``extractive`` (offline; upgraded by ``resummarize``)."""
    cached: bool
    """True when the answer came from the cache and cost no request."""


Progress = Callable[[str, Summary], None]
logger = logging.getLogger(__name__)


def user_prompt(request: SummaryRequest) -> str:
    """The user message for one paper (also part of its cache key)."""
    title = " ".join(request.title.split())
    abstract = " ".join(request.abstract.split())
    return f"Title: {title}\n\nAbstract: {abstract}"


class Summarizer:
    """Summarizes papers through ``client`` (an ``openai.OpenAI``; built from settings if None).

    With no API key every summary is extractive and no request is made. A rejected key (HTTP
    401/403) or an unknown model (404) raises DigestError; any other failure, after
    ``settings.retries`` retries with backoff, gives that paper the extractive summary.
    """

    def __init__(self, settings: Settings, *, client: openai.OpenAI | None = None):
        self.settings = settings
        self.stats = Stats()
        self.cache = Cache(settings.cache_dir)
        self.offline = not settings.openai_api_key
        self.failed: dict[str, str] = {}
        """Why each paper that fell back to the extractive summary did (arXiv id -> reason)."""
        self._caller: ChatCaller | None = None
        self._own_client: openai.OpenAI | None = None
        if not self.offline:
            if client is None:
                client = self._own_client = make_client(settings)
            self._caller = ChatCaller(settings, client, self.stats)

    def close(self) -> None:
        """Close the HTTP connections of a client this summarizer built."""
        if self._own_client is not None:
            self._own_client.close()

    def __enter__(self) -> Summarizer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- summaries --------------------------------------------------------------------------
    def summarize_many(
        self, requests: Iterable[SummaryRequest], *, progress: Progress | None = None
    ) -> dict[str, Summary]:
        """Summaries by arXiv id, in request order; ``progress(arxiv_id, summary)`` per paper.

        ``progress`` runs in the calling thread, as each paper completes.
        """
        unique = {r.arxiv_id: r for r in requests}
        started = time.monotonic()
        done: dict[str, Summary] = {}
        try:
            if self._caller is None or not unique:
                for request in unique.values():
                    done[request.arxiv_id] = self._extractive(request, failed=False)
                    if progress:
                        progress(request.arxiv_id, done[request.arxiv_id])
            else:
                self._run_pool(list(unique.values()), done, progress)
        finally:
            self.stats.add(seconds=time.monotonic() - started)
        return {arxiv_id: done[arxiv_id] for arxiv_id in unique}

    def _run_pool(
        self, requests: list[SummaryRequest], done: dict[str, Summary], progress: Progress | None
    ) -> None:
        workers = max(1, min(self.settings.concurrency, len(requests)))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="summarize") as pool:
            pending = {pool.submit(self.summarize, r): r for r in requests}
            try:
                while pending:
                    finished, _ = wait(pending, return_when=FIRST_EXCEPTION)
                    for future in finished:
                        request = pending.pop(future)
                        done[request.arxiv_id] = future.result()  # re-raises DigestError
                        if progress:
                            progress(request.arxiv_id, done[request.arxiv_id])
            except BaseException:
                # A bad key, or Ctrl-C: stop the other workers instead of finishing the day.
                assert self._caller is not None
                self._caller.stopped.set()
                pool.shutdown(wait=True, cancel_futures=True)
                raise

    def summarize(self, request: SummaryRequest) -> Summary:
        """One paper's summary (thread-safe): cache, else the model, else extractive."""
        if self._caller is None:
            return self._extractive(request, failed=False)
        messages = [
            {"role": "system", "content": SYSTEM_PROMPT},
            {"role": "user", "content": user_prompt(request)},
        ]
        key = cache_key(
            "summary", request.arxiv_id, request.version, self.settings.model,
            SYSTEM_PROMPT, messages[1]["content"],
        )
        bullets = (self.cache.get(key) or {}).get("bullets")
        if _three_bullets(bullets):
            self.stats.add(cached=1)
            return Summary(bullets=bullets, by=self.settings.model, cached=True)
        bullets = self._ask_bullets(request.arxiv_id, messages)
        if bullets is None:
            return self._extractive(request, failed=True)
        self.cache.put(key, {
            "arxiv_id": request.arxiv_id, "version": request.version,
            "model": self.settings.model, "bullets": bullets,
        })
        self.stats.add(summarized=1)
        return Summary(bullets=bullets, by=self.settings.model, cached=False)

    def _ask_bullets(self, arxiv_id: str, messages: list[dict[str, str]]) -> list[str] | None:
        """Three bullets from the model, asking once more after an answer of another shape."""
        assert self._caller is not None
        try:
            answer = self._caller.complete(messages)
            bullets = parse_answer(answer)
            if bullets is None:
                retry = [*messages, {"role": "assistant", "content": answer},
                         {"role": "user", "content": RETRY_PROMPT}]
                bullets = parse_answer(self._caller.complete(retry))
        except CallFailed as err:
            self._caller.record(ok=False)
            self._fail(arxiv_id, str(err))
            return None
        self._caller.record(ok=True)
        if bullets is None:
            self._fail(arxiv_id, "the answer was not three bullets, twice")
        return bullets

    def _fail(self, arxiv_id: str, reason: str) -> None:
        self.failed[arxiv_id] = reason
        logger.warning("%s: no LLM summary (%s); using the extractive one", arxiv_id, reason)

    def _extractive(self, request: SummaryRequest, *, failed: bool) -> Summary:
        self.stats.add(extractive=1, failures=int(failed))
        return Summary(extractive_summary(request.abstract, request.title), EXTRACTIVE, False)


def _three_bullets(value: object) -> bool:
    """True for a cached answer that is still three clean, non-empty bullets."""
    return (
        isinstance(value, list) and len(value) == 3
        and all(isinstance(b, str) and b and b == clean_bullet(b) for b in value)
    )
