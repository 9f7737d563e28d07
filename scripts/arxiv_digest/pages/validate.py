"""The one validator of a docs dir: ``arxiv-digest check`` and the site build both call it.

:func:`validate_docs` walks every file under the docs dir, refuses what must not be published
(symbolic links, other non-regular files, stray files among the pages), reads each paper and
day page through the schema, checks its summary and then the pages against each other, and
reads each ledger file (``ledger/<date>.json``, which the stats page shows) through its schema.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from ..errors import DigestError
from . import frontmatter
from .crosscheck import cross_check
from .ledger import LEDGER_DIR, Ledger, check_ledger
from .parallel import check_all, default_jobs
from .problems import PageCheck, Problem, schema_problem
from .schema import (
    DAYS_DIR,
    EXTRACTIVE,
    MAX_BULLET,
    PAPER_PAGES,
    PAPERS_DIR,
    READER_AUTHORS,
    SUMMARY_HEADING,
    Day,
    DayPage,
    ListedPaper,
    Paper,
    PaperPage,
    is_reader_owned,
    paper_slug,
    parse_bullets,
)
from .spool import PageSpool

#: Bullets a model's summary has (its answer is checked); a person may write any number.
MODEL_BULLETS = 3
#: ``summary.by`` of summaries imported from the old README, some of which had none.
_LEGACY = "legacy"

_OTHER = ""
"""Key of the hand-written pages (``index.md``, ``about.md``...) in :func:`_walk`'s result."""
_BULLET = re.compile(r"^\s*[-*+](\s|$)")
_EMPTY_BULLET = re.compile(r"^\s*[-*+]\s*$")
_HEADING = re.compile(r"^#{1,6}(\s|$)")


@dataclass
class Validation:
    """What :func:`validate_docs` found: the problems, and the pages that passed the schema."""

    problems: list[Problem] = field(default_factory=list)
    """Sorted by file; empty when the docs dir may be published."""
    papers: dict[str, PaperPage | ListedPaper] = field(default_factory=dict)
    """Paper pages that passed the schema, by path relative to the docs dir (``papers/x.md``),
    as :meth:`PaperPage.listed` gives them."""
    days: dict[str, DayPage] = field(default_factory=dict)
    """Day pages that passed the schema, by path relative to the docs dir (``days/x.md``)."""
    ledgers: dict[dt.date, Ledger] = field(default_factory=dict)
    """Ledger files (``ledger/<date>.json``) that passed their schema, by date."""
    paper_files: int = 0
    day_files: int = 0
    digests: dict[str, str] = field(default_factory=dict)
    """A digest of each paper and day file's bytes, by path relative to the docs dir."""
    checks: dict[str, PageCheck] = field(default_factory=dict)
    """Each paper and day page's check, by path relative to the docs dir."""

    def raise_first(self) -> None:
        """Raise the first problem as a DigestError (for a build, which stops at one line)."""
        if self.problems:
            raise self.problems[0].error()


def validate_docs(docs_dir: Path, known: dict[str, tuple[str, PageCheck]] | None = None, *,
                  jobs: int | None = None, spool: PageSpool | None = None) -> Validation:
    """Every file under ``docs_dir``, every page of ``papers/`` and ``days/``, all cross-checks.

    ``known`` holds the checks of an earlier run by relative path, each with the digest of the
    file it read: a file with the same bytes gets the same check without being parsed again
    (an incremental build keeps them with its state). The cross-checks always run.
    ``jobs``: processes checking the other pages (default: two for many pages on two cores or
    more, see ``parallel.py``); the result is the same with any number.
    ``spool``: where the full paper pages checked now are kept for the caller (a build).
    """
    if not docs_dir.is_dir():
        raise DigestError("no such folder (the docs dir holds papers/ and days/)",
                          where=str(docs_dir))
    refused, pages = _walk(str(docs_dir))
    root = len(str(docs_dir)) + 1
    result = Validation(paper_files=len(pages[PAPERS_DIR]), day_files=len(pages[DAYS_DIR]))
    items = [(path, "paper") for path in pages[PAPERS_DIR]]
    items += [(path, "day") for path in pages[DAYS_DIR]]
    # A file without a known check is read once, by its check, which gives its digest too.
    found = [_known(path, known.get(path[root:])) if known else None for path, _ in items]
    todo = [item for item, same in zip(items, found, strict=True) if same is None]
    fresh = iter(check_all(todo, default_jobs(len(todo)) if jobs is None else jobs,
                           spool.folder if spool is not None else None))
    checks: list[PageCheck] = []
    for (path, _), same in zip(items, found, strict=True):
        digest, check, slot = (*same, None) if same is not None else next(fresh)
        relative = path[root:]  # one string for every map of the page (100,000 in a large build)
        if check.path == path:  # a check from the other process: its own copy of the path
            check.path = path
        if slot is not None and spool is not None:
            spool.add(relative, slot)
        result.digests[relative] = digest
        result.checks[relative] = check
        checks.append(check)
    papers, days = checks[:len(pages[PAPERS_DIR])], checks[len(pages[PAPERS_DIR]):]
    problems = refused + [p for page in (*papers, *days) for p in page.problems]
    problems += [p for path in pages[_OTHER] for p in _hand_written_problems(path)]
    problems += cross_check(papers, days)
    ledgers = [check_ledger(path) for path in pages[LEDGER_DIR]]
    problems += [p for _, found in ledgers for p in found]
    result.problems = sorted(set(problems))
    result.ledgers = {ledger.date: ledger for ledger, _ in ledgers if ledger is not None}
    for relative, check in result.checks.items():
        if isinstance(check.page, PAPER_PAGES):
            result.papers[relative] = check.page
        elif isinstance(check.page, DayPage):
            result.days[relative] = check.page
    return result


def _known(path: str, known: tuple[str, PageCheck] | None) -> tuple[str, PageCheck] | None:
    """The digest of the file at ``path`` and ``known``'s check, if it was of the same bytes."""
    if known is None:
        return None
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        return None  # check_file says why
    digest = _digest(data)
    return (digest, known[1]) if known[0] == digest and known[1].path == path else None


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def refused_files(docs_dir: Path) -> list[Problem]:
    """Symbolic links and other non-regular files under ``docs_dir`` (the build refuses them)."""
    return _walk(str(docs_dir))[0]


# ---------------------------------------------------------------- the files


def _walk(root: str) -> tuple[list[Problem], dict[str, list[str]]]:
    """(refused files, pages by folder) under ``root``; hidden names are skipped, as by MkDocs."""
    refused: list[Problem] = []
    pages: dict[str, list[str]] = {PAPERS_DIR: [], DAYS_DIR: [], LEDGER_DIR: [], _OTHER: []}
    folders = [(root, "")]
    while folders:
        folder, relative = folders.pop()
        try:
            # os.scandir: no stat per file, which matters at 20,000 pages.
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as err:
            refused.append(Problem(folder, "file", f"cannot be read ({err.strerror})"))
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            inner = f"{relative}/{entry.name}" if relative else entry.name
            if entry.is_symlink():
                refused.append(Problem(entry.path, "file", _link_message(entry.path)))
            elif entry.is_dir(follow_symlinks=False):
                folders.append((entry.path, inner))
            elif not entry.is_file(follow_symlinks=False):
                refused.append(Problem(entry.path, "file", "not a regular file (a pipe, socket "
                                       "or device); only regular files are published"))
            else:
                _sort_file(entry.path, inner, pages, refused)
    return refused, {kind: sorted(paths) for kind, paths in pages.items()}


def _sort_file(path: str, inner: str, pages: dict[str, list[str]],
               refused: list[Problem]) -> None:
    folder, _, rest = inner.partition("/")
    if folder == LEDGER_DIR:
        if "/" not in rest and rest.endswith(".json"):
            pages[LEDGER_DIR].append(path)  # the stats page shows it: checked like a page
        return
    if folder not in (PAPERS_DIR, DAYS_DIR):
        if inner.endswith(".md"):
            pages[_OTHER].append(path)  # a hand-written page
        return
    if "/" not in rest and rest.endswith(".md"):
        pages[folder].append(path)
    else:
        refused.append(Problem(path, "file", f"not a page: {folder}/ holds only .md pages, "
                               "directly (the site would not show this file)"))


def _link_message(path: str) -> str:
    try:
        target = os.readlink(path)
    except OSError:
        target = "?"
    return (f"a symbolic link (to {target}) is refused: only regular files under the docs dir "
            "are published")


# ---------------------------------------------------------------- one page


def _hand_written_problems(path: str) -> list[Problem]:
    """A hand-written page needs no front matter; if it has some, it must read as any page's
    (MkDocs would drop it silently, or keep the last of a key given twice)."""
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            text = handle.read()
    except UnicodeDecodeError as err:
        return [Problem(path, "file", f"not UTF-8 text ({err.reason})")]
    except OSError as err:
        return [Problem(path, "file", f"cannot be read ({err.strerror})")]
    if not frontmatter.has_front_matter(text):
        return []
    try:
        frontmatter.parse(text)
    except frontmatter.PageProblem as problem:
        return [Problem(path, problem.key, problem.message)]
    return []


def check_file(path: str, kind: str) -> tuple[str, PageCheck, PaperPage | None]:
    """Read ``path`` as a ``paper`` or ``day`` page (schema, file name and summary): the digest
    of its bytes (empty if it cannot be read), its check, and a paper's full page."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as err:
        problem = Problem(path, "file", f"cannot be read ({err.strerror})")
        return "", PageCheck(path, problems=[problem]), None
    return (_digest(data), *check_text(path, data, kind))


def check_text(path: str, data: bytes, kind: str) -> tuple[PageCheck, PaperPage | None]:
    """Check ``data``, the bytes of the ``paper`` or ``day`` page at ``path``: the check, and
    a paper's full page when it passed the schema."""
    check = PageCheck(path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        check.problems.append(Problem(path, "file", f"not UTF-8 text ({err.reason})"))
        return check, None
    try:
        meta, body = frontmatter.parse(text)
    except frontmatter.PageProblem as problem:
        check.problems.append(Problem(path, problem.key, problem.message))
        return check, None
    model = Paper if kind == "paper" else Day
    try:
        valid = model.model_validate(meta)
    except ValidationError as err:
        check.problems += [schema_problem(path, e) for e in err.errors()]
        return check, None
    if isinstance(valid, Paper):
        page = PaperPage(meta=valid, bullets=parse_bullets(body), body=body)
        check.problems += _paper_problems(path, valid, body)
        check.page = page.listed()  # the checks are done: what the cross-checks and lists need
        return check, page
    check.page = DayPage(meta=valid, intro=body)
    check.problems += _day_problems(path, valid)
    return check, None


def _paper_problems(path: str, paper: Paper, body: str) -> Iterator[Problem]:
    expected = paper_slug(paper.arxiv_id)
    if Path(path).stem != expected:
        yield Problem(
            path, "arxiv_id", f"{paper.arxiv_id} does not match the file name "
            f"(its page is {PAPERS_DIR}/{expected}.md)",
        )
    yield from _summary_problems(path, paper, body)


def _summary_problems(path: str, paper: Paper, body: str) -> Iterator[Problem]:
    section = _summary_section(body)
    by = paper.summary.by
    if section is None:
        # The old README had papers without a summary; imported as such, they stay so.
        if by != _LEGACY:
            yield Problem(path, SUMMARY_HEADING, "missing (the page needs a '## Summary' section)")
        return
    lines = [line for line in section if _BULLET.match(line)]
    empty = [n for n, line in enumerate(lines, 1) if _EMPTY_BULLET.match(line)]
    for number in empty:
        yield Problem(path, SUMMARY_HEADING, f"bullet {number} is empty")
    bullets = parse_bullets(SUMMARY_HEADING + "\n" + "\n".join(section))
    for number, bullet in enumerate(bullets, 1):
        if len(bullet) > MAX_BULLET:
            yield Problem(path, SUMMARY_HEADING,
                          f"bullet {number} is {len(bullet)} characters, at most {MAX_BULLET}")
    if not bullets and not empty and by != _LEGACY:
        yield Problem(path, SUMMARY_HEADING, "has no bullets (write them as '- text' lines)")
    # A model's answer is checked for three bullets before it is written, so an unedited model
    # summary with another count was damaged; a person's summary may have any number.
    owned = by in READER_AUTHORS or is_reader_owned(paper.summary, bullets)
    if bullets and not owned and by != EXTRACTIVE and len(bullets) != MODEL_BULLETS:
        yield Problem(
            path, SUMMARY_HEADING,
            f"{len(bullets)} bullets, expected {MODEL_BULLETS} in a summary by {by}",
        )


def _summary_section(body: str) -> list[str] | None:
    lines = body.split("\n")
    for start, line in enumerate(lines):
        if line.strip() == SUMMARY_HEADING:
            end = next(
                (i for i in range(start + 1, len(lines)) if _HEADING.match(lines[i])), len(lines)
            )
            return lines[start + 1 : end]
    return None


def _day_problems(path: str, day: Day) -> Iterator[Problem]:
    if Path(path).stem != day.date.isoformat():
        yield Problem(
            path, "date", f"{day.date} does not match the file name "
            f"(its page is {DAYS_DIR}/{day.date}.md)",
        )
    if day.status == "no-announcement" and day.papers:
        yield Problem(path, "papers", f"a no-announcement day lists {len(day.papers)} papers")
    seen: set[str] = set()
    for arxiv_id in day.papers:
        if arxiv_id in seen:
            yield Problem(path, "papers", f"{arxiv_id} is listed twice")
        seen.add(arxiv_id)
