"""One announcement day, end to end: listing, metadata, filter, summaries, then the pages."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from .arxiv.api import ArxivClient, Metadata, fetch_metadata, make_client
from .arxiv.backfill import backfill_listing
from .arxiv.listing import FEED_CAP, ListedPaper, Listing, fetch_listing
from .config import Settings
from .errors import DigestError
from .filter import Judge, Listed, Rules, Verdict, filter_day, load_rules
from .ops import ledger
from .pages import schema, writer
from .pages.store import DocsLock, remove_stale_temps
from .revisions import notices, recent_ids
from .summaries.summarize import Summarizer, SummaryRequest


class Progress(Protocol):
    """Where a run reports what it is doing (a progress bar on a terminal, lines in CI)."""

    def step(self, message: str) -> None:
        """A stage begins."""

    def count(self, label: str, total: int) -> Callable[[str], None]:
        """A counted stage of ``total`` items; call the result once per item done."""


class QuietProgress:
    """Reports nothing (the default)."""

    def step(self, message: str) -> None:
        pass

    def count(self, label: str, total: int) -> Callable[[str], None]:
        return lambda item: None


@dataclass
class Report:
    """What a run did; printed at the end of every run."""

    command: str = "fetch"
    date: dt.date | None = None
    status: str = ""
    """``announced`` or ``no-announcement`` (fetch)."""
    listed: int = 0
    """Distinct papers announced (new and cross-lists)."""
    earlier: int = 0
    """Of those, already listed on another day (left out)."""
    kept: int = 0
    judged: int = 0
    """Papers the optional LLM judge looked at (kept and near-miss candidates)."""
    judge_calls: int = 0
    """Requests the LLM judge sent (several papers each)."""
    summarized: int = 0
    """Summaries written by the model in this run."""
    cached: int = 0
    """Model summaries taken from the cache or reused from this day's pages (no tokens)."""
    extractive: int = 0
    reader_owned: int = 0
    """Kept papers whose summary a reader owns (left untouched)."""
    marked_human: int = 0
    revised: int = 0
    """Papers of the last days that arXiv has revised since (``newer_version`` recorded)."""
    reasked: int = 0
    """Summaries asked again because a bullet was not found in the abstract."""
    tokens_in: int = 0
    tokens_out: int = 0
    seconds: float = 0.0
    written: int = 0
    unchanged: int = 0
    dry_run: bool = False
    files: list[writer.PageWrite] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    ledger: writer.PageWrite | None = None
    """The day's completeness ledger file (written just before the day page; not in ``files``)."""

    def lines(self) -> list[str]:
        """The closing report, a few plain lines."""
        head = f"{self.command} {self.date or ''} {self.status}".split()
        if self.dry_run:
            head.append("(dry run: no model called, nothing written)")
        verb = "would write" if self.dry_run else "written"
        return [
            " ".join(head) + f": listed {self.listed}, on earlier days {self.earlier}, "
            f"kept {self.kept} (judged {self.judged} in {self.judge_calls} calls)",
            f"summaries: {self.summarized} by the model, {self.cached} cached, "
            f"{self.extractive} extractive, {self.reader_owned} reader-owned kept; "
            f"{self.marked_human} hand-edited marked human; {self.reasked} asked again "
            f"(not in the abstract); {self.revised} revised on arXiv",
            f"tokens: {self.tokens_in} in, {self.tokens_out} out; "
            f"files: {self.written} {verb}, {self.unchanged} unchanged; {self.seconds:.1f} s",
        ]


def run_fetch(
    settings: Settings,
    *,
    date: dt.date | None = None,
    keep_all: bool = False,
    dry_run: bool = False,
    allow_incomplete: bool = False,
    progress: Progress | None = None,
    rules: Rules | None = None,
) -> Report:
    """Fetch one announcement day (the latest, or ``date`` back-filled) into ``docs_dir``.

    Everything is gathered in memory first; the paper pages are written, then the day page last,
    so a failure writes nothing and a killed run, started again, completes the day identically.
    ``dry_run`` calls no model and writes nothing: the report lists what would be written.
    """
    started = time.monotonic()
    progress = progress or QuietProgress()
    rules = rules or load_rules()
    report = Report(dry_run=dry_run)
    if dry_run:
        settings = dataclasses.replace(settings, openai_api_key=None)
    docs = settings.docs_dir
    with contextlib.nullcontext() if dry_run else DocsLock(docs):
        if not dry_run and docs.is_dir():
            remove_stale_temps(docs)
        client = make_client(settings)
        try:
            if date is None:
                progress.step(f"reading the listing of {len(settings.categories)} categories")
                # One connection to arXiv: its pacer spaces the feeds' and the API's requests.
                listing = fetch_listing(settings, http=client.http)
                report.warnings += listing.skipped
            else:
                progress.step(f"back-filling {date.isoformat()} from the arXiv API")
                listing = backfill_listing(date, settings, client=client)
            _check_capped(listing, allow_incomplete, report)
            report.date = listing.date
            writes = _plan_day(settings, client, listing, keep_all, rules, progress, report)
        finally:
            client.close()
        writes = _with_marks(docs, writes, report)
        report.files = writes
        if not dry_run:
            progress.step(f"writing {_n(sum(w.status != 'unchanged' for w in writes), 'file')}")
            # The ledger goes with the day page, just before it (the day page stays last).
            pages, day = writes[:-1], writes[-1:]
            written, unchanged = writer.write_pages(pages)
            if report.ledger is not None:
                writer.write_pages([report.ledger])
            day_written, day_unchanged = writer.write_pages(day)
            report.written, report.unchanged = written + day_written, unchanged + day_unchanged
        else:
            report.written = sum(w.status != "unchanged" for w in writes)
            report.unchanged = len(writes) - report.written
    report.seconds = time.monotonic() - started
    return report


def _with_marks(
    docs: Path, writes: list[writer.PageWrite], report: Report
) -> list[writer.PageWrite]:
    """Put first the pages to mark ``summary.by: human`` (edited by hand since the last run)."""
    planned = {w.path for w in writes}
    marks = [m for m in writer.hand_edited_pages(docs) if m.path not in planned]
    report.marked_human = len(marks)
    return marks + writes


def _check_capped(listing: Listing, allow_incomplete: bool, report: Report) -> None:
    for category in listing.capped:
        if not allow_incomplete:
            raise DigestError(
                f"the feed holds exactly {FEED_CAP} items, arXiv's limit: the day is incomplete "
                "(rerun with --allow-incomplete to write it anyway, marked incomplete)",
                where=category,
            )
        report.warnings.append(
            f"WARNING: {category}: the feed was cut at {FEED_CAP} items; the day is written "
            "with incomplete: true and misses papers"
        )


def _plan_day(
    settings: Settings,
    client: ArxivClient,
    listing: Listing,
    keep_all: bool,
    rules: Rules,
    progress: Progress,
    report: Report,
) -> list[writer.PageWrite]:
    docs = settings.docs_dir
    existing_day = writer.read_existing_day(docs, listing.date)
    day_file = schema.day_path(docs, listing.date)
    report.listed = len(listing.papers)
    if not listing.papers:
        if existing_day is not None and existing_day.meta.papers:
            raise DigestError(
                f"the listing of {listing.date} is empty but this day page lists "
                f"{len(existing_day.meta.papers)} papers; not replacing it",
                where=str(day_file),
            )
        report.status = "no-announcement"
        day = schema.Day(
            date=listing.date,
            status="no-announcement",
            listed=dict(listing.listed),
            backfilled=listing.backfilled,
        )
        report.ledger = _ledger_write(docs, listing, [], report)
        recent = recent_ids(docs, listing.date, settings.recheck_days)
        metadata = fetch_metadata([], settings, client=client, also=recent) if recent else {}
        revised = notices(docs, metadata, recent)
        report.revised = len(revised)
        return [*revised, writer.plan(day_file, writer.compose_day(day, existing_day))]

    report.status = "announced"
    elsewhere = writer.listed_on_other_days(docs, listing.date)
    ledger.check_fresh(listing, elsewhere, docs, settings.rss_url)
    report.warnings += ledger.short_feeds(listing, docs)
    candidates = [p for p in listing.papers if p.arxiv_id not in elsewhere]
    report.earlier = len(listing.papers) - len(candidates)
    summarizer = Summarizer(settings)
    verdicts = _select(candidates, existing_day, keep_all, rules, settings, report)
    kept = [p for p in candidates if p.arxiv_id in verdicts]
    report.kept = len(kept)

    # The papers of the last days ride along in the same id_list requests: their versions.
    recent = [i for i in recent_ids(docs, listing.date, settings.recheck_days) if i not in verdicts]
    progress.step(f"reading metadata of {_n(len(kept) + len(recent), 'paper')} from the arXiv API")
    metadata = (fetch_metadata([p.arxiv_id for p in kept], settings, client=client, also=recent)
                if kept or recent else {})
    missing = [p.arxiv_id for p in kept if p.arxiv_id not in metadata]
    if missing:
        raise DigestError(
            f"no metadata for {len(missing)} listed papers: {', '.join(missing[:10])}",
            where=settings.api_url,
        )

    existing = {p.arxiv_id: writer.read_existing_paper(docs, p.arxiv_id) for p in kept}
    bullets, info = _summaries(kept, metadata, existing, listing.date, summarizer, progress, report)
    at = writer.now_utc()
    writes = notices(docs, metadata, recent)
    report.revised = len(writes)
    for listed in kept:
        meta, verdict = metadata[listed.arxiv_id], verdicts[listed.arxiv_id]
        paper = _paper(meta, listing.date, verdict, info[listed.arxiv_id])
        text = writer.compose_paper(
            paper, bullets[listed.arxiv_id], existing[listed.arxiv_id], at=at
        )
        writes.append(writer.plan(schema.paper_path(docs, listed.arxiv_id), text))
    day = schema.Day(
        date=listing.date,
        status="announced",
        papers=[p.arxiv_id for p in kept],
        listed=dict(listing.listed),
        backfilled=listing.backfilled,
        incomplete=bool(listing.capped),
    )
    report.ledger = _ledger_write(docs, listing, kept, report)
    # The day page comes last: until it is written the day is not done, and a rerun finishes it.
    writes.append(writer.plan(day_file, writer.compose_day(day, existing_day)))
    return writes


def _ledger_write(
    docs: Path, listing: Listing, kept: list[ListedPaper], report: Report
) -> writer.PageWrite:
    text = ledger.compose(listing, kept, status=report.status, earlier=report.earlier)
    return writer.plan(ledger.ledger_path(docs, listing.date), text)


def _select(
    candidates: list[ListedPaper],
    existing_day: schema.DayPage | None,
    keep_all: bool,
    rules: Rules,
    settings: Settings,
    report: Report,
) -> dict[str, Verdict]:
    """Verdicts of the papers to keep, by id."""
    # A paper this day's page already lists stays listed: a rerun never drops a page's paper.
    listed_before = set(existing_day.meta.papers) if existing_day is not None else set()
    papers = [Listed(p.arxiv_id, p.title, p.abstract, p.categories) for p in candidates]
    judge = Judge(settings) if settings.llm_filter and settings.openai_api_key else None
    try:
        verdicts = filter_day(papers, rules, judge)
    finally:
        if judge is not None:
            judge.close()
            report.judge_calls += judge.stats.calls
            report.tokens_in += judge.stats.tokens_in
            report.tokens_out += judge.stats.tokens_out
    report.judged = sum(v.judge is not None for v in verdicts)
    return {
        paper.arxiv_id: verdict
        for paper, verdict in zip(candidates, verdicts, strict=True)
        if verdict.keep or keep_all or paper.arxiv_id in listed_before
    }


def _summaries(
    kept: list[ListedPaper],
    metadata: dict[str, Metadata],
    existing: dict[str, schema.PaperPage | None],
    date: dt.date,
    summarizer: Summarizer,
    progress: Progress,
    report: Report,
) -> tuple[dict[str, list[str]], dict[str, schema.SummaryInfo]]:
    """Bullets and provenance of each kept paper's summary, asking the model only when needed."""
    bullets: dict[str, list[str]] = {}
    info: dict[str, schema.SummaryInfo] = {}
    requests = []
    for listed in kept:
        page = existing[listed.arxiv_id]
        meta = metadata[listed.arxiv_id]
        if page is not None and writer.is_protected(page):
            report.reader_owned += 1
            bullets[listed.arxiv_id], info[listed.arxiv_id] = page.bullets, page.meta.summary
            continue
        reuse = writer.reusable_summary(page, date)
        # A summary of another version than arXiv's latest is not reused.
        if reuse is not None and reuse[1].version in (None, meta.version):
            report.cached += 1
            bullets[listed.arxiv_id], info[listed.arxiv_id] = reuse
            continue
        requests.append(
            SummaryRequest(listed.arxiv_id, meta.version, _fold(meta.title), _fold(meta.abstract))
        )
    if requests:
        progress.step(f"summarizing {_n(len(requests), 'paper')}")
        tick = progress.count("summaries", len(requests))
        done = summarizer.summarize_many(requests, progress=lambda arxiv_id, _: tick(arxiv_id))
        for arxiv_id, summary in done.items():
            bullets[arxiv_id], info[arxiv_id] = list(summary.bullets), summary.info()
    stats = summarizer.stats
    report.summarized += stats.summarized
    report.cached += stats.cached
    report.extractive += stats.extractive
    report.tokens_in += stats.tokens_in
    report.tokens_out += stats.tokens_out
    report.reasked += stats.reasked
    return bullets, info


def _paper(
    meta: Metadata, date: dt.date, verdict: Verdict, summary: schema.SummaryInfo
) -> schema.Paper:
    relevance = (
        schema.Relevance(
            score=verdict.score,
            matched=verdict.matched,
            evidence=verdict.evidence,
            rank=verdict.rank,
            judge=verdict.judge,
        )
        if verdict.keep
        else None
    )
    return schema.Paper(
        title=_fold(meta.title),
        arxiv_id=meta.arxiv_id,
        version=meta.version,
        authors=list(meta.authors),
        categories=list(meta.categories),
        announced=date,
        published=meta.published,
        updated=meta.updated,
        comment=_fold(meta.comment) or None,
        topics=list(verdict.topics),
        relevance=relevance,
        abstract=_fold(meta.abstract) or None,
        summary=summary,
    )


def _fold(text: str | None) -> str:
    return " ".join((text or "").split())


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"
