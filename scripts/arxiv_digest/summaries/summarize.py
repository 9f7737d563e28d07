"""Three-bullet paper summaries from any OpenAI-compatible chat model, with an offline fallback."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from dataclasses import dataclass

import openai

from ..config import Settings
from ..pages.schema import EXTRACTIVE, SummaryInfo, input_sha256
from .extractive import clean_bullet, extractive_summary, parse_answer, replace_bullets
from .grounding import check_summary, describe
from .llm import Cache, CallFailed, ModelAccess, Stats, cache_key
from .prompt import Prompt, load_prompt

__all__ = [
    "Summarizer", "SummaryRequest", "Summary", "Stats", "extractive_summary", "load_prompt",
]



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
    """The bullets of one paper, who wrote them and how they were checked."""

    bullets: list[str]
    """Three cleaned one-line bullets (fewer only for a very short extractive abstract)."""
    by: str
    """The model name, or ``extractive`` (offline; upgraded by ``resummarize``)."""
    cached: bool
    """True when the answer came from the cache and cost no request."""
    version: int | None = None
    """The arXiv version of the title and abstract summarized."""
    input: str | None = None
    """sha256 of that title and abstract (``schema.input_sha256``)."""
    prompt: int | None = None
    """Version of the prompt the model was given (None: no model wrote any bullet)."""
    grounding: str | None = None
    """``passed``, ``repaired`` or ``failed`` (see ``schema.SummaryInfo.grounding``)."""
    failed: tuple[int, ...] = ()
    """Numbers (from 1) of the model's bullets that failed the grounding check twice."""

    def info(self) -> SummaryInfo:
        """The page's ``summary`` front matter (``at`` and ``sha256`` are set when written)."""
        return SummaryInfo(by=self.by, prompt=self.prompt, version=self.version,
                           input=self.input, grounding=self.grounding,  # type: ignore[arg-type]
                           failed=list(self.failed) or None)


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
        self.prompt: Prompt = load_prompt()
        """The summary prompt and its version (``prompt.toml``)."""
        self.failed: dict[str, str] = {}
        """Why each paper that fell back to the extractive summary did (arXiv id -> reason)."""
        self._model = ModelAccess(settings, client, self.stats)
        self._caller = self._model.caller

    def close(self) -> None:
        """Close the HTTP connections of a client this summarizer built."""
        self._model.close()

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
        prompt = self.prompt
        messages = [
            {"role": "system", "content": prompt.system},
            {"role": "user", "content": user_prompt(request)},
        ]
        key = cache_key(
            "summary", request.arxiv_id, request.version, self.settings.model,
            prompt.version, prompt.system, messages[1]["content"],
        )
        hit = _from_cache(self.cache.get(key), self.settings.model)
        if hit is not None:
            self.stats.add(cached=1)
            bullets, by, grounding, failed = hit
            return self._summary(request, bullets, by, True, grounding, failed)
        bullets = self._ask_bullets(request.arxiv_id, messages)
        if bullets is None:
            return self._extractive(request, failed=True)
        summary = self._grounded(request, messages, bullets)
        self.cache.put(key, {
            "arxiv_id": request.arxiv_id, "version": request.version,
            "model": self.settings.model, "prompt": prompt.version, "bullets": summary.bullets,
            "by": summary.by, "grounding": summary.grounding, "failed": list(summary.failed),
        })
        if summary.by == EXTRACTIVE:
            self.stats.add(extractive=1)
        else:
            self.stats.add(summarized=1)
        return summary

    def _ask_bullets(self, arxiv_id: str, messages: list[dict[str, str]]) -> list[str] | None:
        """Three bullets from the model, asking once more after an answer of another shape."""
        assert self._caller is not None
        try:
            answer = self._caller.complete(messages)
            bullets = parse_answer(answer)
            if bullets is None:
                retry = [*messages, {"role": "assistant", "content": answer},
                         {"role": "user", "content": self.prompt.shape_retry}]
                answer = self._caller.complete(retry)
                bullets = parse_answer(answer)
        except CallFailed as err:
            self._caller.record(ok=False)
            self._fail(arxiv_id, str(err))
            return None
        self._caller.record(ok=True)
        if bullets is None:
            self._fail(arxiv_id, "the answer was not three bullets, twice")
            return None
        return bullets

    def _grounded(
        self, request: SummaryRequest, messages: list[dict[str, str]], bullets: list[str]
    ) -> Summary:
        """Check ``bullets`` against the title and abstract; ask again once naming what failed;
        then keep the bullets that pass and put sentences of the abstract for the others, or
        give the extractive summary when fewer than two pass."""
        assert self._caller is not None
        problems = check_summary(bullets, request.title, request.abstract)
        if any(problems):
            self.stats.add(reasked=1)
            # The bullets as parsed, not the raw answer: it may hold what no request can carry.
            shown = "\n".join(f"- {bullet}" for bullet in bullets)
            retry = [*messages, {"role": "assistant", "content": shown},
                     {"role": "user",
                      "content": self.prompt.grounding_retry.format(problems=describe(problems))}]
            try:
                again = parse_answer(self._caller.complete(retry))
            except CallFailed:
                again = None  # the first answer's passing bullets are still good
            if again is not None:
                bullets = again
                problems = check_summary(bullets, request.title, request.abstract)
        failed = tuple(i for i, found in enumerate(problems, start=1) if found)
        model = self.settings.model
        if not failed:
            return self._summary(request, bullets, model, False, "passed", ())
        logger.warning("%s: bullets not found in the abstract after asking again: %s",
                       request.arxiv_id, describe(problems))
        repaired = replace_bullets(bullets, failed, request.abstract) if len(failed) == 1 else None
        if repaired is not None:
            self.stats.add(repaired=1)
            return self._summary(request, repaired, model, False, "repaired", failed)
        self.stats.add(ungrounded=1)
        extractive = extractive_summary(request.abstract, request.title)
        return self._summary(request, extractive, EXTRACTIVE, False, "failed", failed)

    def _summary(
        self, request: SummaryRequest, bullets: list[str], by: str, cached: bool,
        grounding: str | None, failed: tuple[int, ...],
    ) -> Summary:
        prompt = None if by == EXTRACTIVE else self.prompt.version
        return Summary(bullets, by, cached, version=request.version,
                       input=input_sha256(request.title, request.abstract), prompt=prompt,
                       grounding=grounding, failed=failed)

    def _fail(self, arxiv_id: str, reason: str) -> None:
        self.failed[arxiv_id] = reason
        logger.warning("%s: no LLM summary (%s); using the extractive one", arxiv_id, reason)

    def _extractive(self, request: SummaryRequest, *, failed: bool) -> Summary:
        self.stats.add(extractive=1, failures=int(failed))
        bullets = extractive_summary(request.abstract, request.title)
        return self._summary(request, bullets, EXTRACTIVE, False, None, ())


def _from_cache(
    hit: dict[str, object] | None, model: str
) -> tuple[list[str], str, str | None, tuple[int, ...]] | None:
    """(bullets, by, grounding, failed) of a usable cache entry, else None (ask again)."""
    if hit is None:
        return None
    bullets, by, grounding, failed = (hit.get(k) for k in ("bullets", "by", "grounding", "failed"))
    if by not in (model, EXTRACTIVE) or grounding not in ("passed", "repaired", "failed"):
        return None
    if not isinstance(failed, list) or not all(isinstance(n, int) for n in failed):
        return None
    if not (isinstance(bullets, list) and 1 <= len(bullets) <= 3 and (len(bullets) == 3
                                                                     or by == EXTRACTIVE)):
        return None
    if not all(isinstance(b, str) and b and b == clean_bullet(b) for b in bullets):
        return None
    return list(bullets), str(by), str(grounding), tuple(failed)

