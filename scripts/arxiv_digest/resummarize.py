"""``resummarize``: replace the offline (extractive) summaries, or those of an older version of
their paper (``--revised``), with model summaries."""

from __future__ import annotations

import contextlib
import datetime as dt
import time
from dataclasses import dataclass, field
from pathlib import Path

from .arxiv.api import fetch_metadata, make_client
from .config import Settings
from .errors import DigestError
from .fetch import Progress, QuietProgress
from .pages import writer
from .pages.schema import EXTRACTIVE, Paper, PaperPage
from .pages.store import DocsLock, remove_stale_temps
from .revisions import revised_pages, updated_paper
from .summaries.summarize import Summarizer, SummaryRequest


@dataclass
class Report:
    """What a ``resummarize`` run did; printed at its end, and a row of the daily run's table."""

    command: str = "resummarize"
    date: dt.date | None = None
    """No day: the run works over every page (the table's columns are a fetch's)."""
    status: str = ""
    found: int = 0
    """Pages with an untouched extractive summary (or, ``revised``, a newer arXiv version)."""
    which: str = "extractive"
    """The pages it works on: ``extractive`` summaries, or ``revised`` papers (``--revised``)."""
    summarized: int = 0
    """Of those, given a model summary by this run."""
    cached: int = 0
    """Model summaries taken from the cache (no tokens)."""
    extractive: int = 0
    """Pages the model still could not summarize (they keep the extractive summary)."""
    marked_human: int = 0
    """Pages whose generated summary a person edited, marked ``summary.by: human``."""
    reasked: int = 0
    """Answers the model was asked again for (a bullet not grounded in the abstract)."""
    tokens_in: int = 0
    tokens_out: int = 0
    seconds: float = 0.0
    written: int = 0
    unchanged: int = 0
    dry_run: bool = False
    files: list[writer.PageWrite] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def listed(self) -> int:
        """The table's "listed" and "kept" columns: the pages found."""
        return self.found

    @property
    def kept(self) -> int:
        return self.found

    def lines(self) -> list[str]:
        """The closing report, a few plain lines."""
        head = "resummarize" + (" (dry run: no model called, nothing written)"
                                if self.dry_run else "")
        verb = "would write" if self.dry_run else "written"
        return [
            f"{head}: {self.found} pages with "
            f"{'a newer arXiv version' if self.which == 'revised' else 'an extractive summary'}; "
            f"{self.marked_human} hand-edited marked human",
            f"summaries: {self.summarized} by the model, {self.cached} cached, "
            f"{self.extractive} still extractive",
            f"tokens: {self.tokens_in} in, {self.tokens_out} out; "
            f"files: {self.written} {verb}, {self.unchanged} unchanged; {self.seconds:.1f} s",
        ]


def run_resummarize(
    settings: Settings, *, dry_run: bool = False, revised: bool = False,
    progress: Progress | None = None,
) -> Report:
    """Give every untouched ``summary.by: extractive`` page a model summary; with ``revised``,
    every untouched page that arXiv has a newer version of (``newer_version``) a summary of
    that version, its front matter updated from the arXiv API (one request per 100 pages).

    Pages whose summary a reader owns are never touched (a revised one keeps its notice). A
    paper the model still cannot summarize keeps its summary (counted as extractive).
    ``dry_run`` lists the pages that would be changed and asks neither arXiv nor the model.
    """
    if not settings.openai_api_key:
        raise DigestError(
            "resummarize needs a model: set OPENAI_API_KEY (and OPENAI_BASE_URL for a server "
            "other than OpenAI's)",
            where="OPENAI_API_KEY",
        )
    started = time.monotonic()
    progress = progress or QuietProgress()
    report = Report(dry_run=dry_run)
    docs = settings.docs_dir
    with contextlib.nullcontext() if dry_run else DocsLock(docs):
        if not dry_run and docs.is_dir():
            remove_stale_temps(docs)
        marks = writer.hand_edited_pages(docs)
        report.marked_human = len(marks)
        found = revised_pages(docs) if revised else writer.extractive_pages(docs)
        report.found = len(found)
        report.which = "revised" if revised else "extractive"
        what = "a newer arXiv version" if revised else "an extractive summary"
        progress.step(f"{len(found)} pages have {what}")
        writes = list(marks)
        if dry_run:
            # Without asking the model the new text is unknown: list the pages it would change.
            writes += [writer.PageWrite(path, "", "changed") for path, _ in found]
        elif found:
            papers = _latest(found, settings) if revised else {p.meta.arxiv_id: p.meta
                                                                for _, p in found}
            writes += _summarize(found, papers, settings, progress, report)
        report.files = writes
        if dry_run:
            report.written = len(writes)
        else:
            report.written, report.unchanged = writer.write_pages(writes)
    report.seconds = time.monotonic() - started
    return report


def _latest(found: list[tuple[Path, PaperPage]], settings: Settings) -> dict[str, Paper]:
    """The front matter of each revised page as arXiv's latest version has it."""
    with make_client(settings) as client:
        metadata = fetch_metadata([p.meta.arxiv_id for _, p in found], settings, client=client)
    return {p.meta.arxiv_id: updated_paper(p, metadata[p.meta.arxiv_id]) for _, p in found}


def _summarize(
    found: list[tuple[Path, PaperPage]], papers: dict[str, Paper], settings: Settings,
    progress: Progress, report: Report,
) -> list[writer.PageWrite]:
    summarizer = Summarizer(settings)
    tick = progress.count("summaries", len(found))
    done = summarizer.summarize_many(
        [SummaryRequest(p.arxiv_id, p.version, p.title, p.abstract or "") for p in papers.values()],
        progress=lambda arxiv_id, _: tick(arxiv_id),
    )
    at = writer.now_utc()
    writes = []
    for path, page in found:
        summary = done[page.meta.arxiv_id]
        # An extractive answer replaces nothing, unless it stands for a model summary that was
        # not found in the abstract of a revised paper (still a summary of the right version).
        if summary.by == EXTRACTIVE and not (summary.grounding and page.meta.revised):
            continue
        paper = papers[page.meta.arxiv_id].model_copy(update={"summary": summary.info()})
        writes.append(writer.plan(path, writer.compose_paper(paper, summary.bullets, page, at=at)))
    stats = summarizer.stats
    report.summarized, report.cached = stats.summarized, stats.cached
    report.extractive, report.reasked = stats.extractive, stats.reasked
    report.tokens_in, report.tokens_out = stats.tokens_in, stats.tokens_out
    return writes
