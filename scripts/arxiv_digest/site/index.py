"""The page index: every paper and day page read and validated once per build."""

from __future__ import annotations

import datetime as dt
import os
from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DigestError
from ..pages import frontmatter, schema
from ..pages.spool import PageSpool

#: A paper as the index holds it (a whole page works too: tests make small indexes by hand).
Paper = schema.ListedPaper | schema.PaperPage


@dataclass
class PageIndex:
    """What the site is built from: papers by id, days by date, and the lookups the hooks need."""

    papers: dict[str, Paper] = field(default_factory=dict)
    """Paper pages by bare arXiv id, as :meth:`schema.PaperPage.listed` gives them (without
    abstract and body: :meth:`full` reads those)."""
    days: dict[dt.date, schema.DayPage] = field(default_factory=dict)
    """Day pages by date."""
    by_src: dict[str, Paper | schema.DayPage] = field(default_factory=dict)
    """The same pages by MkDocs ``src_uri`` (``papers/2306.12929.md``)."""
    dates: list[dt.date] = field(default_factory=list)
    """Day dates, oldest first."""
    fresh: set[str] = field(default_factory=set)
    """``src_uri`` of the pages read from their file by this build (the others were unchanged
    since the last build of the same reader); empty from a reader that keeps no pages."""
    docs_dir: Path | None = None
    """Where the pages were read: :meth:`full` reads a paper's file again from there."""
    spool: PageSpool | None = None
    """The full pages as the validator read them for this build, when it kept them."""

    def full(self, page: Paper) -> schema.PaperPage:
        """``page`` with its abstract, comment and body (the index holds it as
        :meth:`schema.PaperPage.listed` gives it): as the validator read it, or read again from
        its file; raises DigestError."""
        if self.docs_dir is None and isinstance(page, schema.PaperPage):
            return page
        slug = schema.paper_slug(page.meta.arxiv_id)
        kept = self.spool.page(f"{schema.PAPERS_DIR}/{slug}.md") if self.spool else None
        return kept or schema.read_paper(schema.paper_path(self.docs_dir, page.meta.arxiv_id))

    def ordered_papers(self, day: schema.DayPage) -> list[Paper]:
        """The day's papers in listing order."""
        return [self.papers[i] for i in day.meta.papers if i in self.papers]

    def latest_announced(self) -> schema.DayPage | None:
        for date in reversed(self.dates):
            if self.days[date].meta.status == "announced":
                return self.days[date]
        return None

    def neighbours(self, date: dt.date) -> tuple[dt.date | None, dt.date | None]:
        """Previous and next day pages around ``date``."""
        before = bisect_left(self.dates, date)
        after = bisect_right(self.dates, date)
        return (self.dates[before - 1] if before else None,
                self.dates[after] if after < len(self.dates) else None)

    def announcement_neighbours(self, date: dt.date) -> tuple[dt.date | None, dt.date | None]:
        """The previous and next announcement days around ``date``: weekends and holidays
        (``no-announcement`` pages) are skipped, since a reader paging through days wants
        papers."""
        before = bisect_left(self.dates, date)
        after = bisect_right(self.dates, date)
        earlier = (d for d in reversed(self.dates[:before]) if self._announced(d))
        later = (d for d in self.dates[after:] if self._announced(d))
        return next(earlier, None), next(later, None)

    def _announced(self, date: dt.date) -> bool:
        return self.days[date].meta.status == "announced"

    def latest_papers(self, limit: int) -> list[Paper]:
        """The newest ``limit`` papers: newest day first, listing order within a day."""
        out: list[Paper] = []
        for date in reversed(self.dates):
            out.extend(self.ordered_papers(self.days[date]))
            if len(out) >= limit:
                break
        return out[:limit]

    def papers_by_tag(self) -> dict[str, list[Paper]]:
        """Tag name (category or topic slug) -> papers, newest announcement first."""
        tags: dict[str, list[Paper]] = defaultdict(list)
        for page in sorted(self.papers.values(), key=_newest_first):
            for tag in dict.fromkeys([*page.meta.categories, *page.meta.topics]):
                tags[tag].append(page)
        return tags


def _newest_first(page: Paper) -> tuple[int, str]:
    return (-page.meta.announced.toordinal(), page.meta.arxiv_id)


class PageReader:
    """Reads the page index of each build; a page whose file did not change since the last
    build is taken from the last (a `mkdocs serve` rebuild after one save reads one page)."""

    def __init__(self, *, keep: bool = True) -> None:
        self.keep = keep
        """Whether pages are kept for the next build (`mkdocs serve`): a `mkdocs build` reads
        once, and at 100,000 papers the cache would be 20 MB."""
        self.cache: dict[str, tuple[int, int, object]] = {}
        """``docs_dir/src_uri`` -> (mtime_ns, size, parsed page)."""
        self.read: dict[str, object] = {}
        """Pages the validator read for the current build, by ``src_uri`` (while it builds)."""

    def build(self, docs_dir: Path, src_uris: list[str], *,
              read: dict[str, object] | None = None) -> PageIndex:
        """Read and validate the paper and day pages among ``src_uris``; raises DigestError.

        ``read`` holds pages the validator already read, by ``src_uri``: taken as they are.
        """
        index = PageIndex(docs_dir=docs_dir)
        self.read = read or {}
        try:
            self._build(index, docs_dir, src_uris)
        finally:
            self.read = {}
        return index

    def _build(self, index: PageIndex, docs_dir: Path, src_uris: list[str]) -> None:
        seen: set[str] = set()
        for uri in src_uris:
            folder, _, name = uri.partition("/")
            if "/" in name or not name.endswith(".md"):
                continue
            if folder == schema.PAPERS_DIR:
                page = self._read(docs_dir, uri, _read_listed, index.fresh)
                _check_paper_name(page, uri, docs_dir)
                index.papers[page.meta.arxiv_id] = page
            elif folder == schema.DAYS_DIR:
                page = self._read(docs_dir, uri, schema.read_day, index.fresh)
                if name != f"{page.meta.date.isoformat()}.md":
                    raise DigestError(f"date {page.meta.date} does not match the file name",
                                      where=f"{_rel(docs_dir, uri)}: date")
                index.days[page.meta.date] = page
            else:
                continue
            index.by_src[uri] = page
            if self.keep:
                seen.add(f"{docs_dir}{os.sep}{uri}")
        for stale in set(self.cache) - seen:
            del self.cache[stale]
        index.dates = sorted(index.days)
        for date in index.dates:
            for position, arxiv_id in enumerate(index.days[date].meta.papers):
                if arxiv_id not in index.papers:
                    uri = f"{schema.DAYS_DIR}/{date.isoformat()}.md"
                    raise DigestError(
                        f"lists {arxiv_id}, but {schema.PAPERS_DIR}/"
                        f"{schema.paper_slug(arxiv_id)}.md does not exist",
                        where=f"{_rel(docs_dir, uri)}: papers.{position}",
                    )

    def _read(self, docs_dir: Path, uri: str, reader,  # type: ignore[no-untyped-def]
              fresh: set[str]):
        key = f"{docs_dir}{os.sep}{uri}"  # a str: a Path per page costs more than the stat
        try:
            stat = os.stat(key)
        except FileNotFoundError:
            raise DigestError("page vanished during the build",
                              where=_rel(docs_dir, uri)) from None
        cached = self.cache.get(key)
        if cached and cached[0] == stat.st_mtime_ns and cached[1] == stat.st_size:
            return cached[2]
        path = docs_dir / uri
        try:
            page = self.read.get(uri) or reader(path)
        except DigestError as err:
            # Name the file relative to the project, as the reader would open it.
            where = (err.where or "").replace(str(path), _rel(docs_dir, uri), 1)
            raise DigestError(err.message, where=where or _rel(docs_dir, uri)) from None
        if self.keep:
            self.cache[key] = (stat.st_mtime_ns, stat.st_size, page)
            fresh.add(uri)
        return page


def check_hand_written(path: Path, where: str) -> None:
    """Fail on front matter that MkDocs would silently drop (hand-written pages), with the one
    front-matter reader of the pages."""
    text = path.read_text("utf-8")
    if frontmatter.has_front_matter(text):
        frontmatter.split(text, where)


def _read_listed(path: Path) -> schema.ListedPaper:
    return schema.read_paper(path).listed()


def _check_paper_name(page: Paper, uri: str, docs_dir: Path) -> None:
    expected = f"{schema.PAPERS_DIR}/{schema.paper_slug(page.meta.arxiv_id)}.md"
    if uri != expected:
        raise DigestError(f"arxiv_id {page.meta.arxiv_id} belongs in {expected}",
                          where=f"{_rel(docs_dir, uri)}: arxiv_id")


def _rel(docs_dir: Path, uri: str) -> str:
    """``docs/papers/x.md`` style: the docs dir's name, then the page's path."""
    return f"{docs_dir.name}/{uri}"
