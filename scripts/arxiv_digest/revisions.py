"""Newer arXiv versions of summarized papers: the daily re-check and ``resummarize --revised``.

The fetch asks the arXiv API about the papers of the last ``recheck_days`` days in the same
``id_list`` requests as the day's own papers; a page whose paper arXiv has revised since gets
``newer_version`` (the page then says "summary of v1 · v3 available"). Only that key changes:
the summary, a reader's or the model's, stays as it is.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from .arxiv.api import Metadata
from .pages import schema, writer

_NEWER = re.compile(r"^newer_version: ", re.M)


def recent_ids(docs_dir: Path, date: dt.date, days: int) -> list[str]:
    """Ids listed by the day pages of the ``days`` days before ``date``, oldest day first
    (those with a paper page: an id nothing was written for is not asked about)."""
    ids: list[str] = []
    for back in range(days, 0, -1):
        page = writer.read_existing_day(docs_dir, date - dt.timedelta(days=back))
        if page is not None:
            ids += [i for i in page.meta.papers
                    if i not in ids and schema.paper_path(docs_dir, i).is_file()]
    return ids


def notices(
    docs_dir: Path, metadata: dict[str, Metadata], ids: list[str]
) -> list[writer.PageWrite]:
    """Pages of ``ids`` that arXiv has a newer version of, with ``newer_version`` recorded."""
    writes = []
    for arxiv_id in ids:
        meta = metadata.get(arxiv_id)
        page = writer.read_existing_paper(docs_dir, arxiv_id)
        # An imported summary of the old README was made from an unknown version: no notice.
        if meta is None or page is None or page.meta.version is None or (
                page.meta.summary.by == "legacy" and page.meta.summary.version is None):
            continue
        if meta.version <= max(page.meta.version, page.meta.newer_version or 0):
            continue
        paper = page.meta.model_copy(update={"newer_version": meta.version})
        at = page.meta.summary.at or writer.now_utc()
        text = writer.compose_paper(paper, page.bullets, page, at=at)
        write = writer.plan(schema.paper_path(docs_dir, arxiv_id), text)
        if write.status != "unchanged":
            writes.append(write)
    return writes


def revised_pages(docs_dir: Path) -> list[tuple[Path, schema.PaperPage]]:
    """Pages noticed revised on arXiv whose summary nobody edited (``resummarize --revised``)."""
    found = []
    papers = docs_dir / schema.PAPERS_DIR
    for path in sorted(papers.glob("*.md")) if papers.is_dir() else []:
        text = path.read_text("utf-8")
        if not _NEWER.search(text):  # a cheap look first: few pages have the key
            continue
        page = schema.parse_paper(text, str(path))
        if page.meta.revised is not None and not writer.is_protected(page):
            found.append((path, page))
    return found


def updated_paper(page: schema.PaperPage, meta: Metadata) -> schema.Paper:
    """The page's front matter with arXiv's latest metadata and no ``newer_version`` (its
    summary, still the old one, is replaced by the caller)."""
    return page.meta.model_copy(update={
        "title": _fold(meta.title),
        "version": meta.version,
        "authors": list(meta.authors),
        "categories": list(meta.categories),
        "published": meta.published,
        "updated": meta.updated,
        "comment": _fold(meta.comment) or None,
        "abstract": _fold(meta.abstract) or None,
        "newer_version": None,
    })


def _fold(text: str | None) -> str:
    return " ".join((text or "").split())
