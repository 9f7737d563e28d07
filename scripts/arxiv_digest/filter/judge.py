"""The optional LLM judge: a day's kept and near-miss papers, several a call, kept or dropped."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import openai

from ..config import Settings
from ..summaries.llm import Cache, CallFailed, ModelAccess, Stats, cache_key

#: The scope the judge applies, in plain words; edit it to change what the judge keeps.
SCOPE_FILE = Path(__file__).with_name("scope.md")
#: Papers per request: enough to save calls, few enough that the answer stays reliable.
BATCH = 8
_FORMAT = (
    "\n\nAnswer with one JSON object per paper, one per line, in the order given, and nothing "
    'else: {"id": "<the paper id>", "keep": true or false, "reason": "<at most 15 words>"}'
)
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Candidate:
    """One paper for the judge."""

    arxiv_id: str
    title: str
    abstract: str


@dataclass(frozen=True)
class Ruling:
    """What the judge said about one paper."""

    keep: bool
    reason: str
    """One short line, stored on the paper page (``relevance.judge``)."""


class Judge:
    """Asks the chat model of ``settings`` about papers, ``BATCH`` at a time, caching answers.

    Without an API key it answers nothing, and the key-less decision stands.
    """

    def __init__(self, settings: Settings, *, client: openai.OpenAI | None = None):
        self.settings = settings
        self.stats = Stats()
        self.cache = Cache(settings.cache_dir)
        self.scope = SCOPE_FILE.read_text("utf-8").strip() + _FORMAT
        self._model = ModelAccess(settings, client, self.stats)
        self._caller = self._model.caller

    def close(self) -> None:
        """Close the HTTP connections of a client this judge built."""
        self._model.close()

    def rule(self, papers: Sequence[Candidate]) -> dict[str, Ruling]:
        """Rulings by arXiv id; a paper the model did not answer for is left out."""
        if self._caller is None:
            return {}
        rulings: dict[str, Ruling] = {}
        asking: list[tuple[Candidate, str]] = []
        for paper in papers:
            key = cache_key("judge-batch", self.settings.model, self.scope, _entry(paper))
            hit = self.cache.get(key)
            if hit is not None and isinstance(hit.get("keep"), bool):
                self.stats.add(cached=1)
                rulings[paper.arxiv_id] = Ruling(hit["keep"], str(hit.get("reason", "")))
            else:
                asking.append((paper, key))
        for start in range(0, len(asking), BATCH):
            batch = asking[start : start + BATCH]
            answers = self._ask([p for p, _ in batch])
            for paper, key in batch:
                ruling = answers.get(paper.arxiv_id)
                if ruling is not None:
                    rulings[paper.arxiv_id] = ruling
                    self.cache.put(key, {"model": self.settings.model, "keep": ruling.keep,
                                         "reason": ruling.reason})
        return rulings

    def messages(self, batch: Sequence[Candidate]) -> list[dict[str, str]]:
        """The chat messages of one request about ``batch``."""
        return [
            {"role": "system", "content": self.scope},
            {"role": "user", "content": "\n\n".join(_entry(p) for p in batch)},
        ]

    def _ask(self, batch: list[Candidate]) -> dict[str, Ruling]:
        assert self._caller is not None
        messages = self.messages(batch)
        try:
            answer = self._caller.complete(messages)
        except CallFailed as err:
            self._caller.record(ok=False)
            logger.warning("LLM judge: no answer for %d papers (%s)", len(batch), err)
            return {}
        self._caller.record(ok=True)
        found = parse_rulings(answer, {p.arxiv_id for p in batch})
        if len(found) < len(batch):
            logger.warning("LLM judge: answered for %d of %d papers", len(found), len(batch))
        return found


def _entry(paper: Candidate) -> str:
    abstract = " ".join(paper.abstract.split())
    return f"id: {paper.arxiv_id}\nTitle: {' '.join(paper.title.split())}\nAbstract: {abstract}"


def parse_rulings(answer: str, ids: set[str]) -> dict[str, Ruling]:
    """The rulings in an answer, one JSON object a line; lines of another shape are skipped."""
    answer = re.sub(r"<think>.*?</think>", "", answer, flags=re.S | re.I)
    found: dict[str, Ruling] = {}
    for line in answer.splitlines():
        match = re.search(r"\{.*\}", line)
        if not match:
            continue
        try:
            item = json.loads(match[0])
        except ValueError:
            continue
        if (
            isinstance(item, dict)
            and str(item.get("id")) in ids
            and isinstance(item.get("keep"), bool)
        ):
            reason = " ".join(str(item.get("reason", "")).split())[:200]
            found[str(item["id"])] = Ruling(item["keep"], reason)
    return found
