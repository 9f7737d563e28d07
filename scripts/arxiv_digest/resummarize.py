"""``resummarize``: replace the offline (extractive) summaries with model summaries."""

from __future__ import annotations

import contextlib
import time

from .config import Settings
from .errors import DigestError
from .fetch import Progress, QuietProgress, Report
from .pages import writer
from .pages.schema import EXTRACTIVE
from .pages.store import DocsLock, remove_stale_temps
from .summaries.summarize import Summarizer, SummaryRequest


def run_resummarize(
    settings: Settings, *, dry_run: bool = False, progress: Progress | None = None
) -> Report:
    """Give every untouched ``summary.by: extractive`` page a model summary.

    Pages whose summary a reader owns are never touched. A paper the model still cannot
    summarize keeps its extractive summary (and is counted as extractive in the report).
    ``dry_run`` lists the pages that would be upgraded and calls no model.
    """
    if not settings.openai_api_key:
        raise DigestError(
            "resummarize needs a model: set OPENAI_API_KEY (and OPENAI_BASE_URL for a server "
            "other than OpenAI's)",
            where="OPENAI_API_KEY",
        )
    started = time.monotonic()
    progress = progress or QuietProgress()
    report = Report(command="resummarize", dry_run=dry_run)
    docs = settings.docs_dir
    with contextlib.nullcontext() if dry_run else DocsLock(docs):
        if not dry_run and docs.is_dir():
            remove_stale_temps(docs)
        marks = writer.hand_edited_pages(docs)
        report.marked_human = len(marks)
        found = writer.extractive_pages(docs)
        report.listed = report.kept = len(found)
        progress.step(f"{len(found)} pages have an extractive summary")
        writes = list(marks)
        if dry_run:
            # Without asking the model the new text is unknown: list the pages it would change.
            writes += [writer.PageWrite(path, "", "changed") for path, _ in found]
        elif found:
            summarizer = Summarizer(settings)
            tick = progress.count("summaries", len(found))
            done = summarizer.summarize_many(
                [
                    SummaryRequest(
                        p.meta.arxiv_id, p.meta.version, p.meta.title, p.meta.abstract or ""
                    )
                    for _, p in found
                ],
                progress=lambda arxiv_id, _: tick(arxiv_id),
            )
            at = writer.now_utc()
            for path, page in found:
                summary = done[page.meta.arxiv_id]
                if summary.by == EXTRACTIVE:
                    continue
                paper = page.meta.model_copy(
                    update={"summary": page.meta.summary.model_copy(update={"by": summary.by})}
                )
                writes.append(
                    writer.plan(path, writer.compose_paper(paper, summary.bullets, page, at=at))
                )
            stats = summarizer.stats
            report.summarized, report.cached = stats.summarized, stats.cached
            report.extractive = stats.extractive
            report.tokens_in, report.tokens_out = stats.tokens_in, stats.tokens_out
        report.files = writes
        if dry_run:
            report.written = len(writes)
        else:
            report.written, report.unchanged = writer.write_pages(writes)
    report.seconds = time.monotonic() - started
    return report
