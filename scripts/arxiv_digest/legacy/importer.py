"""``import-readme``: the old README digest becomes paper and day pages, merged with what exists."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from ..arxiv.api import ArxivClient
from ..config import Settings
from ..errors import DigestError
from ..pages import schema, store
from .enrich import enrich_papers
from .readme import LegacyPaper, LegacyReadme, parse_readme

LEGACY = "legacy"


@dataclass
class ImportReport:
    """What an import found and did; :meth:`lines` is what the command prints."""

    source: str
    days: int = 0
    """Dated sections (each date once)."""
    empty_days: int = 0
    """Days whose page lists no paper of their own."""
    papers: int = 0
    """Distinct papers."""
    summaries: int = 0
    """Papers that had summary bullets."""
    repaired: int = 0
    """Titles and bullets whose mojibake was repaired."""
    enriched: int = 0
    """Paper pages that received arXiv metadata."""
    warnings: list[str] = field(default_factory=list)
    """Skipped lines, duplicates and conflicts, one line each."""
    written: list[Path] = field(default_factory=list)
    """Pages created or changed (or that would be, with ``--dry-run``)."""
    unchanged: int = 0
    dry_run: bool = False

    def lines(self) -> list[str]:
        verb = "would write" if self.dry_run else "wrote"
        out = [
            f"{self.source}: {self.days} days ({self.empty_days} empty), {self.papers} papers, "
            f"{self.summaries} summaries, {self.repaired} repaired strings, "
            f"{len(self.warnings)} warnings"
        ]
        out += [f"warning: {w}" for w in self.warnings]
        if self.dry_run:
            out += [f"{verb} {p}" for p in self.written]
        enriched = f", {self.enriched} enriched from arXiv" if self.enriched else ""
        out.append(f"{verb} {len(self.written)} pages, {self.unchanged} unchanged{enriched}")
        return out


@dataclass
class _Entry:
    """A paper as it will be written: merged from the README and any existing page."""

    paper: schema.Paper
    body: str
    existing: bool
    changed: bool = False


def import_readme(
    path: Path,
    settings: Settings,
    *,
    enrich: bool = False,
    dry_run: bool = False,
    client: ArxivClient | None = None,
) -> ImportReport:
    """Import the README at ``path`` into ``settings.docs_dir``; ``client`` is the arXiv client."""
    parsed = parse_readme(_read_source(path))
    if not parsed.days:
        raise DigestError(
            "no dated section ('## Month D, YYYY') found; is this the old README?", where=str(path)
        )
    report = ImportReport(source=str(path), dry_run=dry_run, repaired=parsed.repaired)
    report.warnings += parsed.skipped + parsed.warnings
    docs = settings.docs_dir
    if dry_run:
        _run(parsed, report, settings, docs, enrich=enrich, write=False, client=client)
    else:
        with store.DocsLock(docs):
            store.remove_stale_temps(docs)  # left by a run killed mid-write
            _run(parsed, report, settings, docs, enrich=enrich, write=True, client=client)
    return report


def _run(
    parsed: LegacyReadme,
    report: ImportReport,
    settings: Settings,
    docs: Path,
    *,
    enrich: bool,
    write: bool,
    client: ArxivClient | None,
) -> None:
    listed_on = _existing_listings(docs)
    first_day, bullets, versions = _first_days(parsed, report)
    entries: dict[str, _Entry] = {}
    for day in sorted(parsed.days, key=lambda d: d.date):
        for item in day.papers:
            if item.arxiv_id in entries:
                continue
            key = item.arxiv_id
            entries[key] = _entry(
                item, first_day[key], bullets[key], versions[key], docs, listed_on, report
            )
    report.days = len(parsed.days)
    report.papers = len(entries)
    report.summaries = sum(1 for b in bullets.values() if b)
    if enrich:
        papers = {arxiv_id: entry.paper for arxiv_id, entry in entries.items()}
        filled = enrich_papers(papers, settings, report.warnings, client=client)
        for arxiv_id, paper in filled.items():
            entries[arxiv_id].paper, entries[arxiv_id].changed = paper, True
        report.enriched = len(filled)

    outputs: list[tuple[Path, str]] = []
    for arxiv_id, entry in entries.items():
        if entry.changed or not entry.existing:
            page = schema.render_paper(entry.paper, entry.body)
            outputs.append((schema.paper_path(docs, arxiv_id), page))
        else:
            report.unchanged += 1
    for day in parsed.days:
        own = [p.arxiv_id for p in day.papers if entries[p.arxiv_id].paper.announced == day.date]
        report.empty_days += not own
        if not day.papers and not day.no_papers_notice:
            report.warnings.append(
                f"line {day.line}: {day.date} has no papers; written as no-announcement"
            )
        # A day whose papers all belong to an earlier day still was an announcement day.
        status = "announced" if day.papers else "no-announcement"
        text = _day_text(docs, day.date, own, status)
        if text is None:
            report.unchanged += 1
        else:
            outputs.append((schema.day_path(docs, day.date), text))

    for out_path, text in outputs:
        if _unchanged(out_path, text):
            report.unchanged += 1
        elif write:
            store.write_atomic(out_path, text)
            report.written.append(out_path)
        else:
            report.written.append(out_path)


def _read_source(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as err:
        raise DigestError(f"cannot read ({err.strerror or err})", where=str(path)) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Saved by an editor as cp1252: every byte maps, and ftfy repairs the text later.
        return data.decode("sloppy-windows-1252")


def _first_days(
    parsed: LegacyReadme, report: ImportReport
) -> tuple[dict[str, dt.date], dict[str, list[str]], dict[str, int | None]]:
    """Earliest day, summary and latest linked version of every paper; repeats are warned about."""
    first: dict[str, dt.date] = {}
    bullets: dict[str, list[str]] = {}
    versions: dict[str, int | None] = {}
    for day in sorted(parsed.days, key=lambda d: d.date):
        for item in day.papers:
            if item.arxiv_id not in first:
                first[item.arxiv_id], bullets[item.arxiv_id] = day.date, item.bullets
                versions[item.arxiv_id] = item.version
                continue
            versions[item.arxiv_id] = max(
                (v for v in (versions[item.arxiv_id], item.version) if v is not None), default=None
            )
            note = ""
            if item.bullets and not bullets[item.arxiv_id]:
                bullets[item.arxiv_id] = item.bullets
                note = f"; summary taken from {day.date}"
            elif item.bullets and item.bullets != bullets[item.arxiv_id]:
                note = f"; summaries differ, kept the one of {first[item.arxiv_id]}"
            report.warnings.append(
                f"line {item.line}: {item.arxiv_id} is listed on {first[item.arxiv_id]} and on "
                f"{day.date}; one page, listed on {first[item.arxiv_id]}{note}"
            )
    return first, bullets, versions


def _entry(
    item: LegacyPaper,
    announced: dt.date,
    bullets: list[str],
    version: int | None,
    docs: Path,
    listed_on: dict[str, dt.date],
    report: ImportReport,
) -> _Entry:
    page_path = schema.paper_path(docs, item.arxiv_id)
    if page_path.exists():
        page = schema.read_paper(page_path)
        where = f"{schema.PAPERS_DIR}/{page_path.name}"
        if _fold(page.bullets) != _fold(bullets):
            report.warnings.append(
                f"line {item.line}: {where} exists with a different summary; kept the page's"
            )
        if page.meta.announced != announced:
            report.warnings.append(
                f"line {item.line}: {where} says announced {page.meta.announced}, the README "
                f"{announced}; kept {page.meta.announced}"
            )
        return _Entry(page.meta, page.body, existing=True)
    earlier = listed_on.get(item.arxiv_id)
    if earlier is not None and earlier != announced:
        report.warnings.append(
            f"line {item.line}: {item.arxiv_id} is already listed on the day page of {earlier}, "
            f"the README lists it on {announced}; kept {earlier}"
        )
        announced = earlier
    paper = schema.Paper(
        title=item.title,
        arxiv_id=item.arxiv_id,
        version=version,
        announced=announced,
        summary=schema.SummaryInfo(by=LEGACY, sha256=schema.summary_sha256(bullets)),
    )
    return _Entry(paper, schema.render_body(bullets), existing=False)


def _existing_listings(docs: Path) -> dict[str, dt.date]:
    """Earliest existing day page that lists each paper id."""
    listed: dict[str, dt.date] = {}
    for path in sorted((docs / schema.DAYS_DIR).glob("*.md")):
        day = schema.read_day(path).meta
        for arxiv_id in day.papers:
            listed.setdefault(arxiv_id, day.date)
    return listed


def _day_text(docs: Path, date: dt.date, own: list[str], status: str) -> str | None:
    """The day page to write, or None when the existing one already says it all."""
    path = schema.day_path(docs, date)
    if not path.exists():
        return schema.render_day(schema.Day(date=date, status=status, papers=own))
    page = schema.read_day(path)
    added = [i for i in own if i not in page.meta.papers]
    if not added:
        return None
    papers = [*page.meta.papers, *added]
    merged = page.meta.model_copy(update={"papers": papers, "status": "announced"})
    return schema.render_day(merged, page.intro)


def _unchanged(path: Path, text: str) -> bool:
    try:
        return path.read_bytes() == text.encode("utf-8")
    except FileNotFoundError:
        return False


def _fold(bullets: list[str]) -> list[str]:
    return [" ".join(b.split()) for b in bullets]
