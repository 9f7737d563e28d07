"""Writing a day's pages under ``docs/`` without ever losing what a reader wrote."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from . import schema
from .schema import (
    EXTRACTIVE,
    READER_AUTHORS,
    Day,
    DayPage,
    Paper,
    PaperPage,
    SummaryInfo,
)
from .store import write_atomic

#: ``summary.by`` given to a page whose generated summary a person edited.
HUMAN = "human"

Status = Literal["new", "changed", "unchanged"]


@dataclass(frozen=True)
class PageWrite:
    """One file a run would write, and how it differs from what is on disk."""

    path: Path
    text: str
    status: Status
    """``new`` (no file yet), ``changed`` or ``unchanged`` (byte-identical; not rewritten)."""


def now_utc() -> dt.datetime:
    """The time stamped on new summaries: now, or ``SOURCE_DATE_EPOCH`` for reproducible runs."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


# ---------------------------------------------------------------- reading what is there


def read_existing_paper(docs_dir: Path, arxiv_id: str) -> PaperPage | None:
    """The stored page of ``arxiv_id``, or None."""
    path = schema.paper_path(docs_dir, arxiv_id)
    return schema.read_paper(path) if path.is_file() else None


def read_existing_day(docs_dir: Path, date: dt.date) -> DayPage | None:
    path = schema.day_path(docs_dir, date)
    return schema.read_day(path) if path.is_file() else None


def listed_on_other_days(docs_dir: Path, date: dt.date) -> dict[str, dt.date]:
    """Ids listed by day pages other than ``date``'s -> the earliest such day.

    A paper is listed on one day only: a fetch (or back-fill) of ``date`` leaves these out.
    """
    index: dict[str, dt.date] = {}
    days = docs_dir / schema.DAYS_DIR
    if not days.is_dir():
        return index
    for path in sorted(days.glob("*.md")):
        if path.stem == date.isoformat() or path.is_symlink():
            continue
        page = schema.read_day(path)
        for arxiv_id in page.meta.papers:
            if arxiv_id not in index or page.meta.date < index[arxiv_id]:
                index[arxiv_id] = page.meta.date
    return index


def is_protected(page: PaperPage) -> bool:
    """True when no command may rewrite the page's summary or body.

    That is a summary by a reader (``human``/``legacy``, or bullets that no longer match their
    hash), or a body holding more than the generated ``## Summary`` (a person added to it).
    """
    if page.summary_by_reader:
        return True
    return page.body.strip() != schema.render_body(page.bullets).strip()


def reusable_summary(page: PaperPage | None, date: dt.date) -> tuple[list[str], SummaryInfo] | None:
    """The bullets and provenance of a model summary this same day already wrote, else None.

    A rerun of a day reuses them instead of asking the model again.
    """
    if page is None or page.meta.announced != date or is_protected(page):
        return None
    info = page.meta.summary
    if info.by == EXTRACTIVE or info.by in READER_AUTHORS or not page.bullets:
        return None
    return list(page.bullets), info


# ---------------------------------------------------------------- composing pages


def compose_paper(
    paper: Paper, bullets: list[str], existing: PaperPage | None, *, at: dt.datetime
) -> str:
    """The page text for ``paper`` whose summary is ``bullets``, described by ``paper.summary``.

    A reader-owned existing page keeps its body and ``summary`` (an edited generated summary is
    marked ``by: human``, see :func:`hand_edited_pages`). Otherwise the summary
    is written with its hash; ``summary.at`` stays as stored when the summary did not change,
    so the same input gives the same bytes.
    """
    if existing is not None and is_protected(existing):
        kept = existing.meta.summary
        if existing.summary_by_reader and kept.by not in READER_AUTHORS:
            kept = kept.model_copy(update={"by": HUMAN})  # as hand_edited_pages marks it
        return schema.render_paper(paper.model_copy(update={"summary": kept}), existing.body)
    # A model's bullet is bounded as a reader's is (check refuses longer ones).
    bullets = [schema.clip(bullet, schema.MAX_BULLET) for bullet in bullets]
    sha = schema.summary_sha256(bullets)
    old = existing.meta.summary if existing is not None else None
    if old is not None and old.by == paper.summary.by and old.sha256 == sha and old.at:
        at = old.at
    summary = paper.summary.model_copy(update={"at": at, "sha256": sha})
    return schema.render_paper(
        paper.model_copy(update={"summary": summary}), schema.render_body(bullets)
    )


def compose_day(day: Day, existing: DayPage | None) -> str:
    """The day page text, keeping the hand-written intro of an existing page."""
    return schema.render_day(day, existing.intro if existing is not None else "")


def plan(path: Path, text: str) -> PageWrite:
    """Compare ``text`` with the file at ``path``."""
    try:
        old = path.read_bytes()
    except FileNotFoundError:
        return PageWrite(path, text, "new")
    return PageWrite(path, text, "unchanged" if old == text.encode("utf-8") else "changed")


def write_pages(writes: Iterable[PageWrite]) -> tuple[int, int]:
    """Write in the given order (the day page last); return (written, unchanged)."""
    written = unchanged = 0
    for item in writes:
        if item.status != "unchanged" and write_atomic(item.path, item.text):
            written += 1
        else:
            unchanged += 1
    return written, unchanged


# ---------------------------------------------------------------- scans over all paper pages


def _paper_files(docs_dir: Path) -> list[Path]:
    papers = docs_dir / schema.PAPERS_DIR
    if not papers.is_dir():
        return []
    # A symbolic link is no page of ours (check refuses it): never read or rewritten through.
    return [p for p in sorted(papers.glob("*.md"))
            if not p.name.startswith(".") and not p.is_symlink()]


def hand_edited_pages(docs_dir: Path) -> list[PageWrite]:
    """Pages whose generated summary a person edited, re-marked ``summary.by: human``.

    The bullets and hash stay as they are; only ``by`` changes, so the edit is visibly the
    reader's from then on.
    """
    writes = []
    for path in _paper_files(docs_dir):
        page = schema.read_paper(path)
        if not page.summary_by_reader or page.meta.summary.by in READER_AUTHORS:
            continue
        summary = page.meta.summary.model_copy(update={"by": HUMAN})
        new = schema.render_paper(page.meta.model_copy(update={"summary": summary}), page.body)
        writes.append(plan(path, new))
    return [w for w in writes if w.status != "unchanged"]


def extractive_pages(docs_dir: Path) -> list[tuple[Path, PaperPage]]:
    """Paper pages with an offline summary that no reader has touched (``resummarize``'s work)."""
    found = []
    for path in _paper_files(docs_dir):
        page = schema.read_paper(path)
        if page.meta.summary.by == EXTRACTIVE and not is_protected(page):
            found.append((path, page))
    return found
