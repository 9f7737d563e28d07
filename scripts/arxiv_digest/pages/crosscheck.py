"""The pages against each other: days and papers list each other, tags keep one spelling."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .problems import PageCheck, Problem
from .schema import (
    DAYS_DIR,
    PAPER_PAGES,
    PAPERS_DIR,
    DayPage,
    ListedPaper,
    PaperPage,
    paper_slug,
    tag_key,
)


def cross_check(papers: list[PageCheck], days: list[PageCheck]) -> list[Problem]:
    """Problems between pages; a page that failed the schema was reported already."""
    # A page that failed the schema, or sits under the wrong name, has its own line already:
    # it still counts as present here, so that one mistake gives one line.
    valid_papers = [(c.path, c.page) for c in papers if isinstance(c.page, PAPER_PAGES)]
    valid_days = [(c.path, c.page) for c in days if isinstance(c.page, DayPage)]
    by_slug = {Path(c.path).stem: c for c in papers}
    by_slug.update({paper_slug(page.meta.arxiv_id): c for c in papers
                    if isinstance((page := c.page), PAPER_PAGES)})
    day_files = {Path(c.path).stem for c in days}
    listed_on: dict[str, list[tuple[str, DayPage]]] = {}
    day_by_date: dict[dt.date, tuple[str, DayPage]] = {}
    for path, day in valid_days:
        for arxiv_id in dict.fromkeys(day.meta.papers):
            listed_on.setdefault(arxiv_id, []).append((path, day))
        day_by_date.setdefault(day.meta.date, (path, day))

    problems: list[Problem] = []
    unfinished: dict[dt.date, list[str]] = {}
    for path, paper in valid_papers:
        announced = paper.meta.announced
        if announced in day_by_date:
            day_path, day = day_by_date[announced]
            if paper.meta.arxiv_id not in day.meta.papers:
                problems.append(Problem(path, "announced",
                                        f"{day_path} does not list {paper.meta.arxiv_id}"))
        elif announced.isoformat() not in day_files:
            unfinished.setdefault(announced, []).append(path)
    problems += _unfinished_days(unfinished, papers)
    for arxiv_id, listing in listed_on.items():
        problems += _listing_problems(arxiv_id, listing, by_slug)
    problems += _tag_spellings(valid_papers)
    return problems


def _unfinished_days(unfinished: dict[dt.date, list[str]],
                     papers: list[PageCheck]) -> list[Problem]:
    """One line per announced day without a page: a fetch was stopped before writing it."""
    if not unfinished:
        return []
    docs = str(Path(papers[0].path).parent.parent)
    problems = []
    for date, paths in sorted(unfinished.items()):
        count = f"{len(paths)} paper page{'s' if len(paths) != 1 else ''}"
        first = f" ({paths[0]}{', ...' if len(paths) > 1 else ''})"
        problems.append(Problem(
            f"{docs}/{DAYS_DIR}/{date}.md", "file",
            f"missing, but {count}{first} {'are' if len(paths) != 1 else 'is'} announced on "
            f"{date}: day not finished; rerun fetch",
        ))
    return problems


def _listing_problems(arxiv_id: str, listing: list[tuple[str, DayPage]],
                      by_slug: dict[str, PageCheck]) -> list[Problem]:
    check = by_slug.get(paper_slug(arxiv_id))
    if check is None:
        return [
            Problem(path, "papers", f"{arxiv_id} has no paper page "
                    f"({PAPERS_DIR}/{paper_slug(arxiv_id)}.md)")
            for path, _ in listing
        ]
    page = check.page if isinstance(check.page, PAPER_PAGES) else None
    announced = page.meta.announced if page is not None else None
    # The day that rightly lists the paper: its announced day, else the earliest that lists it.
    keeper = next((d for d in listing if d[1].meta.date == announced), None)
    keeper = keeper or min(listing, key=lambda d: d[1].meta.date)
    problems = []
    for path, day in listing:
        if path != keeper[0]:
            problems.append(Problem(path, "papers", f"{arxiv_id} is also listed on "
                                    f"{keeper[1].meta.date} ({keeper[0]})"))
        elif announced is not None and day.meta.date != announced:
            problems.append(Problem(path, "papers", f"{arxiv_id} is announced on "
                                    f"{announced} ({check.path})"))
    return problems


def _tag_spellings(papers: list[tuple[str, PaperPage | ListedPaper]]) -> list[Problem]:
    """Two spellings of one tag (``cs.LG`` here, ``cs.lg`` there) would share one tag page."""
    first: dict[str, tuple[str, str]] = {}
    problems = []
    for path, paper in sorted(papers):
        for key, tags in (("categories", paper.meta.categories), ("topics", paper.meta.topics)):
            for tag in tags:
                seen_tag, seen_path = first.setdefault(tag_key(tag), (tag, path))
                if seen_tag != tag:
                    problems.append(Problem(path, key, f"{tag!r} and {seen_tag!r} "
                                            f"({seen_path}) would share one tag page"))
    return problems
