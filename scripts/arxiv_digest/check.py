"""``arxiv-digest check``: every page against the schema, and the pages against each other."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from .errors import DigestError
from .pages.schema import (
    DAYS_DIR,
    EXTRACTIVE,
    PAPERS_DIR,
    READER_AUTHORS,
    SUMMARY_HEADING,
    Day,
    Paper,
    is_reader_owned,
    paper_slug,
    parse_bullets,
)

try:
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]

#: Bullets a model's summary has (its answer is checked); a person may write any number.
MODEL_BULLETS = 3
#: ``summary.by`` of summaries imported from the old README, some of which had none.
_LEGACY = "legacy"

# MkDocs' own front-matter pattern (mkdocs.utils.meta): a page it does not match is rendered
# without its front matter, so the check holds pages to exactly this form.
_FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)
_EMPTY_BULLET = re.compile(r"^\s*[-*+]\s*$")
_HEADING = re.compile(r"^#{1,6}(\s|$)")


class _Loader(_SafeLoader):
    """The safe loader, refusing a key given twice (PyYAML would keep the last one silently)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[str] = set()
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                if key_node.value in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"key '{key_node.value}' is given twice", key_node.start_mark
                    )
                seen.add(key_node.value)
        return super().construct_mapping(node, deep=deep)


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one page; ``str()`` is the line ``check`` prints."""

    path: str
    """The page's file, as found under the docs dir."""
    key: str
    """The front-matter key at fault (dotted), ``front matter``, ``file`` or ``## Summary``."""
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.key}: {self.message}"


@dataclass
class Report:
    """What ``check`` found: the problems, and how many pages it read."""

    problems: list[Problem] = field(default_factory=list)
    papers: int = 0
    days: int = 0


@dataclass
class _Page:
    """What the cross-checks need of a page."""

    path: str
    valid: bool = False
    """False when the page failed the schema: it is then left out of the cross-checks."""
    arxiv_id: str = ""
    announced: dt.date | None = None
    """A paper's announced day; a day page's own date."""
    papers: list[str] = field(default_factory=list)
    """The ids a day page lists."""
    problems: list[Problem] = field(default_factory=list)


def check_docs(docs_dir: Path) -> Report:
    """Check every paper and day page under ``docs_dir``; problems come sorted by file.

    About 0.3 ms a page, most of it reading the YAML: 20,000 pages take 6-7 s of CPU.
    """
    # A new site has no papers/ or days/ yet (git keeps no empty folder): that is no problem.
    if not docs_dir.is_dir():
        raise DigestError(
            "no such folder (the docs dir holds papers/ and days/)", where=str(docs_dir)
        )
    papers = [_read_page(path, "paper") for path in _pages(docs_dir / PAPERS_DIR)]
    days = [_read_page(path, "day") for path in _pages(docs_dir / DAYS_DIR)]
    problems = [p for page in (*papers, *days) for p in page.problems]
    problems += _cross_check(papers, days)
    return Report(sorted(set(problems)), len(papers), len(days))


def _pages(folder: Path) -> list[str]:
    # os.scandir: no stat per file, which matters at 20,000 pages.
    try:
        with os.scandir(folder) as entries:
            return sorted(
                e.path for e in entries if e.name.endswith(".md") and not e.name.startswith(".")
            )
    except FileNotFoundError:
        return []


# ---------------------------------------------------------------- one page


def _read_page(path: str, kind: str) -> _Page:
    page = _Page(path)
    raw = _front_matter(page)
    if raw is None:
        return page
    meta, body = raw
    model = Paper if kind == "paper" else Day
    try:
        valid = model.model_validate(meta)
    except ValidationError as err:
        page.problems += [_schema_problem(path, e) for e in err.errors()]
        return page
    page.valid = True
    if isinstance(valid, Paper):
        page.arxiv_id, page.announced = valid.arxiv_id, valid.announced
        page.problems += _paper_problems(path, valid, body)
    else:
        page.announced, page.papers = valid.date, valid.papers
        page.problems += _day_problems(path, valid)
    return page


def _front_matter(page: _Page) -> tuple[dict[str, Any], str] | None:
    def fail(message: str) -> None:
        page.problems.append(Problem(page.path, "front matter", message))

    try:
        with open(page.path, encoding="utf-8", newline="") as handle:
            text = handle.read().replace("\r\n", "\n")
    except UnicodeDecodeError as err:
        page.problems.append(Problem(page.path, "file", f"not UTF-8 text ({err.reason})"))
        return None
    match = _FRONT_MATTER.match(text)
    if not match:
        fail("not closed (a '---' line must end it)" if text.startswith("---")
             else "missing (the page must start with a '---' line)")
        return None
    try:
        meta = yaml.load(match[1], Loader=_Loader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        # +2: the mark counts from 0 inside the front matter, which starts on the file's line 2.
        where = f" at line {mark.line + 2}" if mark is not None else ""
        fail(f"not valid YAML{where}: {getattr(err, 'problem', None) or type(err).__name__}")
        return None
    if not isinstance(meta, dict) or not meta:
        fail("empty or not a mapping of keys")
        return None
    return meta, text[match.end() :]


def _schema_problem(path: str, error: Any) -> Problem:
    key = ".".join(str(part) for part in error["loc"]) or "front matter"
    if error["type"] == "extra_forbidden":
        return Problem(path, key, "unknown key")
    if error["type"] == "missing":
        return Problem(path, key, "missing")
    value = repr(error["input"])
    value = value if len(value) <= 60 else value[:57] + "..."
    return Problem(path, key, f"{error['msg']} (got {value})")


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
    empty = [n for n, line in enumerate(_bullet_lines(section), 1) if _EMPTY_BULLET.match(line)]
    for number in empty:
        yield Problem(path, SUMMARY_HEADING, f"bullet {number} is empty")
    bullets = parse_bullets(SUMMARY_HEADING + "\n" + "\n".join(section))
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


def _bullet_lines(section: list[str]) -> Iterator[str]:
    for line in section:
        if re.match(r"^\s*[-*+](\s|$)", line):
            yield line


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


# ---------------------------------------------------------------- between pages


def _cross_check(papers: list[_Page], days: list[_Page]) -> list[Problem]:
    # A page that failed the schema, or sits under the wrong name, has its own line already:
    # it still counts as present here, so that one mistake gives one line.
    by_slug = {Path(page.path).stem: page for page in papers}
    by_slug.update({paper_slug(page.arxiv_id): page for page in papers if page.valid})
    broken_days = {Path(day.path).stem for day in days if not day.valid}
    listed_on: dict[str, list[_Page]] = {}
    day_by_date: dict[dt.date, _Page] = {}
    for day in days:
        if day.valid:
            for arxiv_id in dict.fromkeys(day.papers):
                listed_on.setdefault(arxiv_id, []).append(day)
            day_by_date.setdefault(day.announced, day)  # type: ignore[arg-type]

    problems: list[Problem] = []
    for page in papers:
        if page.valid and str(page.announced) not in broken_days:
            problems += _announced_problems(page, day_by_date)
    for arxiv_id, listing_days in listed_on.items():
        problems += _listing_problems(arxiv_id, listing_days, by_slug)
    return problems


def _announced_problems(page: _Page, day_by_date: dict[dt.date, _Page]) -> list[Problem]:
    day = day_by_date.get(page.announced)  # type: ignore[arg-type]
    if day is None:
        return [Problem(page.path, "announced", f"no day page for {page.announced} "
                        f"({DAYS_DIR}/{page.announced}.md)")]
    if page.arxiv_id not in day.papers:
        return [Problem(page.path, "announced", f"{day.path} does not list {page.arxiv_id}")]
    return []


def _listing_problems(
    arxiv_id: str, listing_days: list[_Page], by_slug: dict[str, _Page]
) -> list[Problem]:
    page = by_slug.get(paper_slug(arxiv_id))
    if page is None:
        return [
            Problem(day.path, "papers", f"{arxiv_id} has no paper page "
                    f"({PAPERS_DIR}/{paper_slug(arxiv_id)}.md)")
            for day in listing_days
        ]
    announced = page.announced if page.valid else None
    # The day that rightly lists the paper: its announced day, else the earliest that lists it.
    keeper = next((d for d in listing_days if d.announced == announced), None)
    keeper = keeper or min(listing_days, key=lambda d: d.announced)  # type: ignore[arg-type,return-value]
    problems = []
    for day in listing_days:
        if day is not keeper:
            problems.append(Problem(day.path, "papers", f"{arxiv_id} is also listed on "
                                    f"{keeper.announced} ({keeper.path})"))
        elif announced is not None and day.announced != announced:
            problems.append(Problem(day.path, "papers", f"{arxiv_id} is announced on "
                                    f"{announced} ({page.path})"))
    return problems


def annotation(problem: Problem) -> str:
    """The problem as a GitHub Actions workflow command, which marks the file in a pull request."""

    def escape(text: str, prop: bool = False) -> str:
        text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return text.replace(":", "%3A").replace(",", "%2C") if prop else text

    where = f"file={escape(problem.path, True)},title={escape(problem.key, True)}"
    return f"::error {where}::{escape(problem.message)}"
