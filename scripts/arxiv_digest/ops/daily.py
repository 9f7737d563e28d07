"""The daily run: the day (and the days missed before it), committed, checked, built, pushed.

When the branch moved while the run worked (a reader's fix was merged), the run does not rebase:
it resets to the new tip and runs the day again. The run is idempotent, so the second pass costs
no model tokens (answers are cached), and a reader's edit on the branch is respected because the
fetch never rewrites a summary a reader owns.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..check import check_docs
from ..config import Settings
from ..errors import DigestError
from ..fetch import Progress, QuietProgress, Report, run_fetch
from ..pages import schema, writer
from ..pages.store import DocsLock
from ..resummarize import run_resummarize
from . import calendar, ledger
from .git import Repo, scrubbed_env


@dataclass(frozen=True)
class Options:
    """How one daily run behaves (the ``daily`` command's options)."""

    date: dt.date | None = None
    """Run this past day instead of the latest listing (no gap is healed then)."""
    sync: bool = False
    """Reset to the remote branch's tip before running the day."""
    push: bool = False
    """Push the commit; redo the day when the branch moved meanwhile (implies ``sync``)."""
    tries: int = 3
    """Passes of the day at most when the branch keeps moving."""
    backfill_cap: int = 3
    """Missed announcement days back-filled per run at most (oldest first)."""
    lookback: int = 31
    """How many days before the latest listing are searched for missing days."""
    build: bool = True
    """Check the pages and build the site (``mkdocs build --strict``) before any push."""


@dataclass
class Outcome:
    """What a daily run did: the material of its report and step summary."""

    reports: list[Report] = field(default_factory=list)
    """The fetches (latest day, then back-filled days) and the resummarize, of the last pass."""
    backfilled: list[dt.date] = field(default_factory=list)
    """Missing days written in this run (announcement days, weekends, holidays)."""
    left: list[dt.date] = field(default_factory=list)
    """Missing announcement days over the cap, left for the next runs."""
    warnings: list[str] = field(default_factory=list)
    committed: str | None = None
    """The commit's subject, or None when no page changed."""
    pushed: bool = False
    passes: int = 0
    """How many times the day was run (more than one when the branch moved)."""


class DailyRun:
    """One daily run in the git work tree at ``root``."""

    def __init__(self, settings: Settings, options: Options, *, root: Path,
                 progress: Progress | None = None, say: Callable[[str], None] = print,
                 push_token: str | None = None):
        self.settings = settings
        self.options = options
        self.repo = Repo.at(root, push_token=push_token)
        self.progress = progress or QuietProgress()
        self.say = say
        self.outcome = Outcome()

    def push_only(self) -> bool:
        """Push what an earlier ``daily`` committed; False when the branch moved meanwhile."""
        branch = self.repo.branch()
        if self.repo.push(branch) == "moved":
            self.say(f"daily: {branch} moved during the run; nothing pushed")
            return False
        self.outcome.pushed = True
        self.say(f"daily: pushed to {self.repo.remote}/{branch}")
        return True

    def run(self) -> Outcome:
        unfinished = self.repo.unfinished()
        if unfinished:
            raise DigestError(
                f"a {unfinished} is in progress in this work tree: finish or abort it "
                f"(git {unfinished} --abort) before the daily run",
                where=str(self.repo.root),
            )
        branch = self.repo.branch()
        sync = self.options.sync or self.options.push
        for attempt in range(1, self.options.tries + 1):
            self.outcome = dataclasses.replace(Outcome(), passes=attempt)
            if sync:
                self.repo.sync(branch)
            self._day()
            self._commit()
            if self.options.build:
                self._check_and_build()
            if not self.options.push:
                return self.outcome
            if self.repo.push(branch) == "pushed":
                self.outcome.pushed = True
                self.say(f"daily: pushed to {self.repo.remote}/{branch}")
                return self.outcome
            self.say(f"daily: {branch} moved during the run; running the day again on its tip")
        raise DigestError(
            f"{branch} moved during each of {self.options.tries} passes; nothing pushed, the "
            "next run publishes the day",
            where=f"{self.repo.remote}/{branch}",
        )

    # -- the day -------------------------------------------------------------------------

    def _day(self) -> None:
        settings, out = self.settings, self.outcome
        latest = run_fetch(settings, date=self.options.date, progress=self.progress)
        out.reports.append(latest)
        if self.options.date is None and latest.date is not None:
            self._heal(latest.date)
        if settings.openai_api_key:
            out.reports.append(run_resummarize(settings, progress=self.progress))
        out.warnings += [w for r in out.reports for w in r.warnings]

    def _heal(self, until: dt.date) -> None:
        """Back-fill the days missing before ``until``, oldest first, within the cap."""
        docs = self.settings.docs_dir
        existing = []
        for path in (docs / schema.DAYS_DIR).glob("*.md"):
            try:
                existing.append(dt.date.fromisoformat(path.stem))
            except ValueError:
                continue  # not a day page; `check` names it
        gap = calendar.find_gap(existing, until, lookback=self.options.lookback,
                                cap=self.options.backfill_cap)
        out = self.outcome
        for day in sorted(gap.announcement + gap.quiet):
            try:
                if day.weekday() < 5 and not calendar.is_announcement_day(day):
                    _write_holiday(docs, day)
                else:
                    out.reports.append(run_fetch(self.settings, date=day, progress=self.progress))
            except DigestError as err:
                out.warnings.append(f"WARNING: back-filling {day} failed, the next run tries "
                                    f"again: {err}")
                continue
            out.backfilled.append(day)
        out.left = gap.later
        if gap.later:
            out.warnings.append(
                f"WARNING: {len(gap.later)} more missed day(s) left for the next runs: "
                + ", ".join(d.isoformat() for d in gap.later))

    # -- commit, check, build -------------------------------------------------------------

    def _commit(self) -> None:
        docs = self.settings.docs_dir.resolve()
        folders = [docs / schema.PAPERS_DIR, docs / schema.DAYS_DIR, docs / ledger.LEDGER_DIR]
        message = commit_message(self.repo, docs)
        if self.repo.commit(folders, message):
            self.outcome.committed = message.splitlines()[0]
            self.say(f'daily: committed "{self.outcome.committed}"')
        else:
            self.say("daily: no page changed, nothing to commit")

    def _check_and_build(self) -> None:
        report = check_docs(self.settings.docs_dir)
        for problem in report.problems:
            self.say(str(problem))
        pages = f"{report.papers} paper pages, {report.days} day pages"
        if report.problems:
            raise DigestError(f"check: {len(report.problems)} problem(s) in {pages}; "
                              "nothing pushed", where=str(self.settings.docs_dir))
        self.say(f"check: no problems in {pages}")
        # The build runs the hooks: it gets no key and no token.
        build = subprocess.run(["mkdocs", "build", "--strict"], cwd=self.repo.root,
                               env=scrubbed_env(), capture_output=True, text=True)
        if build.returncode != 0:
            lines = [line for line in build.stderr.splitlines() if line.strip()]
            raise DigestError(f"mkdocs build --strict failed: {lines[-1] if lines else '?'}",
                              where=str(self.repo.root / "mkdocs.yml"))


def commit_message(repo: Repo, docs: Path) -> str:
    """The commit message: the days written (from their pages) and the paper pages changed."""
    folders = [str(docs / d) for d in (schema.PAPERS_DIR, schema.DAYS_DIR, ledger.LEDGER_DIR)]
    present = [f for f in folders if Path(f).exists()]
    if not present:
        return "digest: nothing"
    repo.git("add", "--all", "--", *present)
    changes = [line.split("\t") for line in
               repo.git("diff", "--cached", "--name-status", "--", *present).splitlines()]
    heads = []
    for change in changes:
        path = repo.root / change[-1]
        if f"/{schema.DAYS_DIR}/" in f"/{change[-1]}" and path.exists():
            day = schema.read_day(path).meta
            count = len(day.papers)
            what = "no announcement" if day.status == "no-announcement" else (
                f"{count} paper{'s' if count != 1 else ''}")
            heads.append(f"{day.date} ({what}{', back-filled' if day.backfilled else ''})")
    papers = [c[0][0] for c in changes if f"/{schema.PAPERS_DIR}/" in f"/{c[-1]}"]
    days = sum(f"/{schema.DAYS_DIR}/" in f"/{c[-1]}" for c in changes)
    new = papers.count("A")
    pages = f"{len(papers)} paper page{'s' if len(papers) != 1 else ''}"
    subject = "digest: " + ("; ".join(heads) if heads else f"update {pages}")
    # [skip ci]: a push made with an App token would otherwise start this workflow again.
    return (f"{subject}\n\nPaper pages: {new} new, {len(papers) - new} changed. "
            f"Day pages: {days}.\n\n[skip ci]\n")


def _write_holiday(docs: Path, day: dt.date) -> None:
    """A weekday without a listing (an arXiv holiday): a ``no-announcement`` day, no request."""
    with DocsLock(docs):
        existing = writer.read_existing_day(docs, day)
        page = schema.Day(date=day, status="no-announcement", backfilled=True)
        writer.write_pages([writer.plan(schema.day_path(docs, day),
                                        writer.compose_day(page, existing))])
